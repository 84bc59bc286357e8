package io.teardownguard.model.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TeardownCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JDK layer as read from sun.nio.ch of JDK 17 and 25 and checked with strace. */
final class JdkLayerTest {

  @ParameterizedTest(name = "JDK {0} closing a listener: {1}")
  @CsvSource({"17, '[SHUT_WR, CLOSE]'", "25, '[CLOSE]'"})
  void onlyJdk17ShutsDownAListenerBeforeClosingIt(int jdk, String syscalls) {
    SocketSnapshot listener = SocketSnapshot.listener(JavaApi.SERVER_SOCKET, ChannelMode.BLOCKING, jdk, 0);

    assertEquals(syscalls, JdkLayer.syscalls(listener, TeardownCall.of(TeardownCall.Op.CLOSE)).toString());
  }

  @ParameterizedTest(name = "JDK {0} closing an AsynchronousServerSocketChannel")
  @CsvSource({"17", "25"})
  void anAsynchronousListenerIsClosedWithoutAShutdownOnBothJdks(int jdk) {
    SocketSnapshot listener = SocketSnapshot.listener(JavaApi.ASYNCHRONOUS_SERVER_SOCKET_CHANNEL,
        ChannelMode.NON_BLOCKING, jdk, 2);

    assertEquals("[CLOSE]", JdkLayer.syscalls(listener, TeardownCall.of(TeardownCall.Op.CLOSE)).toString());
    assertEquals("async-listener-close", JdkLayer.row(listener, TeardownCall.of(TeardownCall.Op.CLOSE)).id());
  }

  @ParameterizedTest(name = "{0} {1} with SO_LINGER {2}: {3}")
  @CsvSource({
      "SOCKET, BLOCKING, -1, '[SHUT_WR, CLOSE]'",
      "SOCKET, BLOCKING, 0, '[CLOSE]'",
      "SOCKET, BLOCKING, 5, '[SHUT_WR, CLOSE]'",
      "SOCKET_CHANNEL, BLOCKING, -1, '[CLOSE]'",
      "SOCKET_CHANNEL, NON_BLOCKING, 5, '[CLOSE]'",
      "SOCKET_ADAPTOR, BLOCKING, -1, '[CLOSE]'",
      "SOCKET_CHANNEL, REGISTERED, -1, '[SHUT_WR, CLOSE_AT_DEREGISTRATION]'",
      "SOCKET_CHANNEL, REGISTERED, 5, '[SET_LINGER(off), SHUT_WR, CLOSE_AT_DEREGISTRATION]'",
      "SOCKET_CHANNEL, REGISTERED, 0, '[CLOSE_AT_DEREGISTRATION]'",
      "ASYNCHRONOUS_SOCKET_CHANNEL, NON_BLOCKING, -1, '[CLOSE]'",
      "ASYNCHRONOUS_SOCKET_CHANNEL, NON_BLOCKING, 5, '[CLOSE]'"})
  void closeOfAConnectedSocket(JavaApi api, ChannelMode mode, int linger, String syscalls) {
    for (int jdk : new int[] {17, 25}) {
      SocketSnapshot snapshot = SocketSnapshot.connected(api, mode, jdk, io.teardownguard.model.TcpState.ESTABLISHED)
          .withLinger(linger);

      assertEquals(syscalls, JdkLayer.syscalls(snapshot, TeardownCall.of(TeardownCall.Op.CLOSE)).toString(),
          "JDK " + jdk);
    }
  }

  @Test
  void streamClosesCloseTheWholeSocket() {
    SocketSnapshot snapshot = SocketSnapshot.connected(JavaApi.SOCKET, ChannelMode.BLOCKING, 25,
        io.teardownguard.model.TcpState.ESTABLISHED);

    assertEquals("[SHUT_WR, CLOSE]",
        JdkLayer.syscalls(snapshot, TeardownCall.of(TeardownCall.Op.CLOSE_OUTPUT_STREAM)).toString());
  }

  @ParameterizedTest(name = "setSoLinger {0} -> {1}")
  @CsvSource({"-5, '[SET_LINGER(off)]'", "0, '[SET_LINGER(0s)]'", "70000, '[SET_LINGER(65535s)]'"})
  void lingerValuesAreNormalisedAsTheJdkDoes(int value, String syscalls) {
    SocketSnapshot snapshot = SocketSnapshot.connected(JavaApi.SOCKET_CHANNEL, ChannelMode.BLOCKING, 17,
        io.teardownguard.model.TcpState.ESTABLISHED);

    assertEquals(syscalls, JdkLayer.syscalls(snapshot, TeardownCall.setSoLinger(value)).toString());
  }

  @Test
  void theJdkRefusesSoLingerOnAnAsynchronousChannel() {
    SocketSnapshot snapshot = SocketSnapshot.connected(JavaApi.ASYNCHRONOUS_SOCKET_CHANNEL, ChannelMode.NON_BLOCKING, 25,
        io.teardownguard.model.TcpState.ESTABLISHED);

    assertEquals("[]", JdkLayer.syscalls(snapshot, TeardownCall.setSoLinger(0)).toString());
  }
}
