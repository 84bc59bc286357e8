package io.teardownguard.model.semantics;

import static io.teardownguard.model.Syscall.Kind.CLOSE;
import static io.teardownguard.model.Syscall.Kind.CLOSE_AT_DEREGISTRATION;
import static io.teardownguard.model.Syscall.Kind.SHUT_RD;
import static io.teardownguard.model.Syscall.Kind.SHUT_WR;
import static io.teardownguard.model.TeardownCall.Op.CLOSE_INPUT_STREAM;
import static io.teardownguard.model.TeardownCall.Op.CLOSE_OUTPUT_STREAM;
import static io.teardownguard.model.TeardownCall.Op.SET_SO_LINGER;
import static io.teardownguard.model.TeardownCall.Op.SHUTDOWN_INPUT;
import static io.teardownguard.model.TeardownCall.Op.SHUTDOWN_OUTPUT;

import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Linger;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.Syscall;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.rules.Citation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The JDK's own layer: which syscalls each Java teardown call issues before the kernel sees
 * anything. Read from {@code sun.nio.ch} of JDK 17 and 25 and checked with strace; they differ in
 * one row (NioSocketImpl's shutdown before close). Rows are tried in order; the first that
 * matches decides.
 */
public final class JdkLayer {
  private static final Set<TeardownCall.Op> CLOSES =
      EnumSet.of(TeardownCall.Op.CLOSE, CLOSE_INPUT_STREAM, CLOSE_OUTPUT_STREAM);

  /**
   * The first release verified to skip the shutdown for unconnected sockets; releases between 17
   * and 25 were not checked and are modelled like 17 (the wire is the same either way).
   */
  static final int JDK_WITH_CONNECTED_CHECK = 25;

  private static final List<JdkRow> ROWS = List.of(
      new JdkRow(
          "async-channel-close",
          "AsynchronousSocketChannel close: close(2) alone (no shutdown, no dup2 pre-close), then a pending read or write fails with AsynchronousCloseException",
          CLOSES,
          s -> s.api() == JavaApi.ASYNCHRONOUS_SOCKET_CHANNEL,
          (s, c) -> List.of(Syscall.of(CLOSE)),
          Citation.jdk("sun.nio.ch.UnixAsynchronousSocketChannelImpl", "implClose(): port.unregister, nd.close, finish(false, true, true)")),
      new JdkRow(
          "async-listener-close",
          "AsynchronousServerSocketChannel close: close(2) alone, then a pending accept fails with AsynchronousCloseException",
          CLOSES,
          s -> s.api() == JavaApi.ASYNCHRONOUS_SERVER_SOCKET_CHANNEL,
          (s, c) -> List.of(Syscall.of(CLOSE)),
          Citation.jdk("sun.nio.ch.UnixAsynchronousServerSocketChannelImpl", "implClose(): port.unregister, nd.close, then the pending accept")),
      new JdkRow(
          "async-set-linger-refused",
          "setOption(SO_LINGER) on an asynchronous channel: refused with UnsupportedOperationException, no syscall; SO_LINGER stays off",
          EnumSet.of(SET_SO_LINGER),
          s -> s.api().isAsynchronous(),
          (s, c) -> List.of(),
          Citation.jdk("sun.nio.ch.AsynchronousSocketChannelImpl", "setOption(): supportedOptions() has no SO_LINGER")),
      new JdkRow(
          "socket-close-jdk25",
          "Socket/ServerSocket close on JDK 25: shutdown(SHUT_WR) first when connected and SO_LINGER is not 0, then close(2)",
          CLOSES,
          s -> !s.api().isChannel() && s.jdkFeature() >= JDK_WITH_CONNECTED_CHECK,
          (s, c) -> s.connected() && !Linger.isAbortive(s.lingerSeconds())
              ? List.of(Syscall.of(SHUT_WR), Syscall.of(CLOSE))
              : List.of(Syscall.of(CLOSE)),
          Citation.jdk("sun.nio.ch.NioSocketImpl", "close() (JDK 25: if (connected))")),
      new JdkRow(
          "socket-close-jdk17",
          "Socket/ServerSocket close on JDK 17: shutdown(SHUT_WR) first in any state when SO_LINGER is not 0 (a no-op on listeners and unconnected sockets), then close(2)",
          CLOSES,
          s -> !s.api().isChannel(),
          (s, c) -> !Linger.isAbortive(s.lingerSeconds())
              ? List.of(Syscall.of(SHUT_WR), Syscall.of(CLOSE))
              : List.of(Syscall.of(CLOSE)),
          Citation.jdk("sun.nio.ch.NioSocketImpl", "close() (JDK 17: no connected check)")),
      new JdkRow(
          "registered-channel-close",
          "registered channel close: SO_LINGER>0 reset to off, shutdown(SHUT_WR) unless SO_LINGER is 0, close(2) when the Selector deregisters",
          CLOSES,
          s -> s.mode() == ChannelMode.REGISTERED && !s.api().isListener(),
          JdkLayer::registeredChannelClose,
          Citation.jdk("sun.nio.ch.SocketChannelImpl", "implCloseNonBlockingMode() / kill()")),
      new JdkRow(
          "registered-listener-close",
          "registered listener channel close: close(2) when the Selector deregisters",
          CLOSES,
          s -> s.mode() == ChannelMode.REGISTERED,
          (s, c) -> List.of(Syscall.of(CLOSE_AT_DEREGISTRATION)),
          Citation.jdk("sun.nio.ch.ServerSocketChannelImpl", "implCloseSelectableChannel() / kill()")),
      new JdkRow(
          "channel-close",
          "unregistered channel close: close(2) alone, no shutdown",
          CLOSES,
          s -> true,
          (s, c) -> List.of(Syscall.of(CLOSE)),
          Citation.jdk("sun.nio.ch.SocketChannelImpl", "implCloseBlockingMode() / implCloseNonBlockingMode()")),
      new JdkRow(
          "shutdown-unconnected",
          "shutdown on a socket that is not connected: the JDK throws (SocketException, NotYetConnectedException), no syscall",
          EnumSet.of(SHUTDOWN_INPUT, SHUTDOWN_OUTPUT),
          s -> !s.connected(),
          (s, c) -> List.of(),
          Citation.jdk("java.net.Socket / sun.nio.ch.SocketChannelImpl", "shutdownInput() / shutdownOutput()")),
      new JdkRow(
          "shutdown-input-again",
          "shutdownInput on a socket already shut for input: nothing (Socket throws, SocketChannel returns)",
          EnumSet.of(SHUTDOWN_INPUT),
          SocketSnapshot::inputShut,
          (s, c) -> List.of(),
          Citation.jdk("java.net.Socket / sun.nio.ch.SocketChannelImpl", "shutdownInput()")),
      new JdkRow(
          "shutdown-input",
          "shutdownInput: shutdown(SHUT_RD); Java reads return -1 from now on",
          EnumSet.of(SHUTDOWN_INPUT),
          s -> true,
          (s, c) -> List.of(Syscall.of(SHUT_RD)),
          Citation.jdk("sun.nio.ch.NioSocketImpl / SocketChannelImpl", "shutdownInput()")),
      new JdkRow(
          "shutdown-output-again",
          "shutdownOutput on a socket already shut for output: nothing (Socket throws, SocketChannel returns)",
          EnumSet.of(SHUTDOWN_OUTPUT),
          SocketSnapshot::outputShut,
          (s, c) -> List.of(),
          Citation.jdk("java.net.Socket / sun.nio.ch.SocketChannelImpl", "shutdownOutput()")),
      new JdkRow(
          "shutdown-output",
          "shutdownOutput: shutdown(SHUT_WR)",
          EnumSet.of(SHUTDOWN_OUTPUT),
          s -> true,
          (s, c) -> List.of(Syscall.of(SHUT_WR)),
          Citation.jdk("sun.nio.ch.NioSocketImpl / SocketChannelImpl", "shutdownOutput()")),
      new JdkRow(
          "set-linger",
          "setSoLinger / setOption(SO_LINGER): setsockopt(SO_LINGER); negative means off, over 65535 is 65535",
          EnumSet.of(SET_SO_LINGER),
          s -> true,
          (s, c) -> List.of(Syscall.setLinger(c.lingerSeconds() < 0 ? Linger.OFF : Math.min(c.lingerSeconds(), 65535))),
          Citation.jdk("java.net.Socket / sun.nio.ch.Net", "setSoLinger() / setSocketOption()")));

  private JdkLayer() {}

  /** The syscalls the JDK issues for {@code call} on {@code snapshot}, in order. */
  public static List<Syscall> syscalls(SocketSnapshot snapshot, TeardownCall call) {
    return row(snapshot, call).syscalls().apply(snapshot, call);
  }

  /** The rows' ids, in order, for the docs and the coverage check. */
  public static List<String> rowIds() {
    return ROWS.stream().map(JdkRow::id).toList();
  }

  static JdkRow row(SocketSnapshot snapshot, TeardownCall call) {
    for (JdkRow row : ROWS) {
      if (row.matches(snapshot, call)) {
        return row;
      }
    }
    throw new IllegalStateException("no JDK row for " + call + " on " + snapshot);
  }

  private static List<Syscall> registeredChannelClose(SocketSnapshot s, TeardownCall call) {
    List<Syscall> calls = new ArrayList<>();
    if (s.connected() && !Linger.isAbortive(s.lingerSeconds())) {
      if (Linger.isBlocking(s.lingerSeconds())) {
        // A Selector must not block in close(2): the JDK turns a positive linger off first.
        calls.add(Syscall.setLinger(Linger.OFF));
      }
      calls.add(Syscall.of(SHUT_WR));
    }
    calls.add(Syscall.of(CLOSE_AT_DEREGISTRATION));
    return calls;
  }
}
