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
 * The rows of the JDK layer: for the calls a row names, on the sockets it {@link #covers}, the JDK
 * issues its {@link #syscalls}. Tried in declaration order; the first that matches decides. As in
 * {@link KernelRow}, switches over the row rather than a lambda per row, which cost a
 * LambdaMetafactory spin each when the table is first read (issue 14).
 */
enum JdkRow {
  ASYNC_CHANNEL_CLOSE(
      "async-channel-close",
      "AsynchronousSocketChannel close: close(2) alone (no shutdown, no dup2 pre-close), then a pending read or write fails with AsynchronousCloseException",
      closes(),
      Citation.jdk("sun.nio.ch.UnixAsynchronousSocketChannelImpl", "implClose(): port.unregister, nd.close, finish(false, true, true)")),
  ASYNC_LISTENER_CLOSE(
      "async-listener-close",
      "AsynchronousServerSocketChannel close: close(2) alone, then a pending accept fails with AsynchronousCloseException",
      closes(),
      Citation.jdk("sun.nio.ch.UnixAsynchronousServerSocketChannelImpl", "implClose(): port.unregister, nd.close, then the pending accept")),
  ASYNC_SET_LINGER_REFUSED(
      "async-set-linger-refused",
      "setOption(SO_LINGER) on an asynchronous channel: refused with UnsupportedOperationException, no syscall; SO_LINGER stays off",
      EnumSet.of(SET_SO_LINGER),
      Citation.jdk("sun.nio.ch.AsynchronousSocketChannelImpl", "setOption(): supportedOptions() has no SO_LINGER")),
  SOCKET_CLOSE_JDK25(
      "socket-close-jdk25",
      "Socket/ServerSocket close on JDK 25: shutdown(SHUT_WR) first when connected and SO_LINGER is not 0, then close(2)",
      closes(),
      Citation.jdk("sun.nio.ch.NioSocketImpl", "close() (JDK 25: if (connected))")),
  SOCKET_CLOSE_JDK17(
      "socket-close-jdk17",
      "Socket/ServerSocket close on JDK 17: shutdown(SHUT_WR) first in any state when SO_LINGER is not 0 (a no-op on listeners and unconnected sockets), then close(2)",
      closes(),
      Citation.jdk("sun.nio.ch.NioSocketImpl", "close() (JDK 17: no connected check)")),
  REGISTERED_CHANNEL_CLOSE(
      "registered-channel-close",
      "registered channel close: SO_LINGER>0 reset to off, shutdown(SHUT_WR) unless SO_LINGER is 0, close(2) when the Selector deregisters",
      closes(),
      Citation.jdk("sun.nio.ch.SocketChannelImpl", "implCloseNonBlockingMode() / kill()")),
  REGISTERED_LISTENER_CLOSE(
      "registered-listener-close",
      "registered listener channel close: close(2) when the Selector deregisters",
      closes(),
      Citation.jdk("sun.nio.ch.ServerSocketChannelImpl", "implCloseSelectableChannel() / kill()")),
  CHANNEL_CLOSE(
      "channel-close",
      "unregistered channel close: close(2) alone, no shutdown",
      closes(),
      Citation.jdk("sun.nio.ch.SocketChannelImpl", "implCloseBlockingMode() / implCloseNonBlockingMode()")),
  SHUTDOWN_UNCONNECTED(
      "shutdown-unconnected",
      "shutdown on a socket that is not connected: the JDK throws (SocketException, NotYetConnectedException), no syscall",
      EnumSet.of(SHUTDOWN_INPUT, SHUTDOWN_OUTPUT),
      Citation.jdk("java.net.Socket / sun.nio.ch.SocketChannelImpl", "shutdownInput() / shutdownOutput()")),
  SHUTDOWN_INPUT_AGAIN(
      "shutdown-input-again",
      "shutdownInput on a socket already shut for input: nothing (Socket throws, SocketChannel returns)",
      EnumSet.of(SHUTDOWN_INPUT),
      Citation.jdk("java.net.Socket / sun.nio.ch.SocketChannelImpl", "shutdownInput()")),
  SHUTDOWN_INPUT_ROW(
      "shutdown-input",
      "shutdownInput: shutdown(SHUT_RD); Java reads return -1 from now on",
      EnumSet.of(SHUTDOWN_INPUT),
      Citation.jdk("sun.nio.ch.NioSocketImpl / SocketChannelImpl", "shutdownInput()")),
  SHUTDOWN_OUTPUT_AGAIN(
      "shutdown-output-again",
      "shutdownOutput on a socket already shut for output: nothing (Socket throws, SocketChannel returns)",
      EnumSet.of(SHUTDOWN_OUTPUT),
      Citation.jdk("java.net.Socket / sun.nio.ch.SocketChannelImpl", "shutdownOutput()")),
  SHUTDOWN_OUTPUT_ROW(
      "shutdown-output",
      "shutdownOutput: shutdown(SHUT_WR)",
      EnumSet.of(SHUTDOWN_OUTPUT),
      Citation.jdk("sun.nio.ch.NioSocketImpl / SocketChannelImpl", "shutdownOutput()")),
  SET_LINGER(
      "set-linger",
      "setSoLinger / setOption(SO_LINGER): setsockopt(SO_LINGER); negative means off, over 65535 is 65535",
      EnumSet.of(SET_SO_LINGER),
      Citation.jdk("java.net.Socket / sun.nio.ch.Net", "setSoLinger() / setSocketOption()"));

  /**
   * The first release verified to skip the shutdown for unconnected sockets; releases between 17
   * and 25 were not checked and are modelled like 17 (the wire is the same either way).
   */
  static final int JDK_WITH_CONNECTED_CHECK = 25;

  private final String id;
  private final String description;
  private final Set<TeardownCall.Op> ops;
  private final Citation citation;

  /**
   * @param id a stable name, used by the docs and by the coverage check
   * @param description what the row says, for the derivation shown with each prediction
   * @param ops the calls it covers
   * @param citation the JDK method that does it
   */
  JdkRow(String id, String description, Set<TeardownCall.Op> ops, Citation citation) {
    this.id = id;
    this.description = description;
    this.ops = ops;
    this.citation = citation;
  }

  String id() {
    return id;
  }

  String description() {
    return description;
  }

  Citation citation() {
    return citation;
  }

  /** The calls that close the socket (a constant's arguments may not read the enum's static fields). */
  private static Set<TeardownCall.Op> closes() {
    return EnumSet.of(TeardownCall.Op.CLOSE, CLOSE_INPUT_STREAM, CLOSE_OUTPUT_STREAM);
  }

  boolean matches(SocketSnapshot snapshot, TeardownCall call) {
    return ops.contains(call.op()) && covers(snapshot);
  }

  /** Whether this row covers {@code s} (its calls aside). */
  private boolean covers(SocketSnapshot s) {
    return switch (this) {
      case ASYNC_CHANNEL_CLOSE -> s.api() == JavaApi.ASYNCHRONOUS_SOCKET_CHANNEL;
      case ASYNC_LISTENER_CLOSE -> s.api() == JavaApi.ASYNCHRONOUS_SERVER_SOCKET_CHANNEL;
      case ASYNC_SET_LINGER_REFUSED -> s.api().isAsynchronous();
      case SOCKET_CLOSE_JDK25 -> !s.api().isChannel() && s.jdkFeature() >= JDK_WITH_CONNECTED_CHECK;
      case SOCKET_CLOSE_JDK17 -> !s.api().isChannel();
      case REGISTERED_CHANNEL_CLOSE -> s.mode() == ChannelMode.REGISTERED && !s.api().isListener();
      case REGISTERED_LISTENER_CLOSE -> s.mode() == ChannelMode.REGISTERED;
      case SHUTDOWN_UNCONNECTED -> !s.connected();
      case SHUTDOWN_INPUT_AGAIN -> s.inputShut();
      case SHUTDOWN_OUTPUT_AGAIN -> s.outputShut();
      case CHANNEL_CLOSE, SHUTDOWN_INPUT_ROW, SHUTDOWN_OUTPUT_ROW, SET_LINGER -> true;
    };
  }

  /** The syscalls the JDK issues for {@code c} on {@code s}, in order. */
  List<Syscall> syscalls(SocketSnapshot s, TeardownCall c) {
    return switch (this) {
      case ASYNC_CHANNEL_CLOSE, ASYNC_LISTENER_CLOSE, CHANNEL_CLOSE -> List.of(Syscall.of(CLOSE));
      case ASYNC_SET_LINGER_REFUSED, SHUTDOWN_UNCONNECTED, SHUTDOWN_INPUT_AGAIN, SHUTDOWN_OUTPUT_AGAIN -> List.of();
      case SOCKET_CLOSE_JDK25 -> s.connected() && !Linger.isAbortive(s.lingerSeconds())
          ? List.of(Syscall.of(SHUT_WR), Syscall.of(CLOSE))
          : List.of(Syscall.of(CLOSE));
      case SOCKET_CLOSE_JDK17 -> !Linger.isAbortive(s.lingerSeconds())
          ? List.of(Syscall.of(SHUT_WR), Syscall.of(CLOSE))
          : List.of(Syscall.of(CLOSE));
      case REGISTERED_CHANNEL_CLOSE -> registeredChannelClose(s);
      case REGISTERED_LISTENER_CLOSE -> List.of(Syscall.of(CLOSE_AT_DEREGISTRATION));
      case SHUTDOWN_INPUT_ROW -> List.of(Syscall.of(SHUT_RD));
      case SHUTDOWN_OUTPUT_ROW -> List.of(Syscall.of(SHUT_WR));
      case SET_LINGER ->
          List.of(Syscall.setLinger(c.lingerSeconds() < 0 ? Linger.OFF : Math.min(c.lingerSeconds(), 65535)));
    };
  }

  private static List<Syscall> registeredChannelClose(SocketSnapshot s) {
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
