package io.teardownguard.errorprone.matchers;

import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;

import com.google.errorprone.matchers.Matcher;
import com.sun.source.tree.ExpressionTree;
import java.util.regex.Pattern;

/**
 * The JDK calls that tear a TCP connection down or decide how it will be torn down, and the reads
 * and writes around them. {@code java.net.Socket} covers its subclasses ({@code SSLSocket}) and
 * the adaptor a {@code SocketChannel.socket()} returns; {@code SocketChannel} its implementations.
 */
public final class SocketMatchers {

  static final String SOCKET = "java.net.Socket";
  static final String SOCKET_CHANNEL = "java.nio.channels.SocketChannel";
  private static final String NETWORK_CHANNEL = "java.nio.channels.NetworkChannel";
  private static final String SELECTABLE_CHANNEL = "java.nio.channels.SelectableChannel";

  /** {@code shutdownInput()}: SHUT_RD, after which Java reads return -1 ({@code NioSocketImpl}). */
  public static final Matcher<ExpressionTree> SHUTDOWN_INPUT = anyOf(
      instanceMethod().onDescendantOf(SOCKET).named("shutdownInput").withNoParameters(),
      instanceMethod().onDescendantOf(SOCKET_CHANNEL).named("shutdownInput").withNoParameters());

  /** {@code shutdownOutput()}: SHUT_WR, a FIN behind the queued data ({@code tcp_shutdown()}). */
  public static final Matcher<ExpressionTree> SHUTDOWN_OUTPUT = anyOf(
      instanceMethod().onDescendantOf(SOCKET).named("shutdownOutput").withNoParameters(),
      instanceMethod().onDescendantOf(SOCKET_CHANNEL).named("shutdownOutput").withNoParameters());

  /** {@code Socket.setSoLinger(boolean on, int linger)}. */
  public static final Matcher<ExpressionTree> SET_SO_LINGER =
      instanceMethod().onDescendantOf(SOCKET).named("setSoLinger").withParameters("boolean", "int");

  /** {@code setOption(SocketOption, value)} on a {@code Socket} or any {@code NetworkChannel}. */
  public static final Matcher<ExpressionTree> SET_OPTION = anyOf(
      instanceMethod().onDescendantOf(SOCKET).named("setOption"),
      instanceMethod().onDescendantOf(NETWORK_CHANNEL).named("setOption"));

  /** {@code SelectableChannel.configureBlocking(boolean)}. */
  public static final Matcher<ExpressionTree> CONFIGURE_BLOCKING =
      instanceMethod().onDescendantOf(SELECTABLE_CHANNEL).named("configureBlocking");

  /** {@code SelectableChannel.register(...)}: from now on the JDK defers the close to a select. */
  public static final Matcher<ExpressionTree> REGISTER =
      instanceMethod().onDescendantOf(SELECTABLE_CHANNEL).named("register");

  /** Any select: the calling thread runs a selector loop and must not block elsewhere. */
  public static final Matcher<ExpressionTree> SELECT =
      instanceMethod().onDescendantOf("java.nio.channels.Selector")
          .namedAnyOf("select", "selectNow");

  /** {@code SelectionKey.channel()}, how a selector loop reaches its connection. */
  public static final Matcher<ExpressionTree> SELECTION_KEY_CHANNEL =
      instanceMethod().onDescendantOf("java.nio.channels.SelectionKey").named("channel");

  /** {@code accept()} of a listening socket: the connection is the server's side. */
  public static final Matcher<ExpressionTree> ACCEPT = anyOf(
      instanceMethod().onDescendantOf("java.net.ServerSocket").named("accept"),
      instanceMethod().onDescendantOf("java.nio.channels.ServerSocketChannel").named("accept"));

  /** {@code Socket.getInputStream()}; closing that stream closes the socket. */
  public static final Matcher<ExpressionTree> GET_INPUT_STREAM =
      instanceMethod().onDescendantOf(SOCKET).named("getInputStream").withNoParameters();

  /** {@code Socket.getOutputStream()}; closing that stream closes the socket. */
  public static final Matcher<ExpressionTree> GET_OUTPUT_STREAM =
      instanceMethod().onDescendantOf(SOCKET).named("getOutputStream").withNoParameters();

  /** {@code SocketChannel.socket()} and {@code Socket.getChannel()}: the same connection. */
  public static final Matcher<ExpressionTree> SAME_CONNECTION = anyOf(
      instanceMethod().onDescendantOf(SOCKET_CHANNEL).named("socket").withNoParameters(),
      instanceMethod().onDescendantOf(SOCKET).named("getChannel").withNoParameters());

  /** {@code Channels.newInputStream(ch)} and friends: streams over a channel. */
  public static final Matcher<ExpressionTree> CHANNEL_STREAM =
      staticMethod().onClass("java.nio.channels.Channels")
          .namedAnyOf("newInputStream", "newReader", "newOutputStream", "newWriter");

  /** Reads that consume to end of stream, or to a caller's bound: a drain. */
  public static final Matcher<ExpressionTree> DRAINING_READ = anyOf(
      instanceMethod().onDescendantOf("java.io.InputStream")
          .namedAnyOf("readAllBytes", "readNBytes", "transferTo", "skip", "skipNBytes"),
      instanceMethod().onDescendantOf("java.io.Reader").namedAnyOf("transferTo", "skip"),
      instanceMethod().onDescendantOf("java.io.BufferedReader").named("lines"));

  /**
   * Reads that take some of the stream: a line, a buffer, a number, a token, an object. The
   * wrappers ({@code DataInputStream}, {@code ObjectInputStream}, {@code BufferedReader},
   * {@code Scanner}, {@code Channels.newInputStream}) all stop where their record ends.
   */
  public static final Matcher<ExpressionTree> READ = anyOf(
      instanceMethod().onDescendantOf("java.io.InputStream").namedAnyOf("read"),
      instanceMethod().onDescendantOf("java.io.Reader").namedAnyOf("read", "readLine"),
      instanceMethod().onDescendantOf("java.io.DataInput")
          .withNameMatching(Pattern.compile("read.*")),
      instanceMethod().onDescendantOf("java.util.Scanner").namedAnyOf("next", "nextLine",
          "nextInt", "nextLong", "nextShort", "nextByte", "nextBoolean", "nextDouble",
          "nextFloat", "nextBigInteger", "nextBigDecimal", "findInLine"),
      instanceMethod().onDescendantOf("java.nio.channels.ReadableByteChannel").named("read"),
      instanceMethod().onDescendantOf("java.nio.channels.ScatteringByteChannel").named("read"));

  /** Writes that put bytes on the connection (or into a buffer in front of it). */
  public static final Matcher<ExpressionTree> WRITE = anyOf(
      instanceMethod().onDescendantOf("java.io.OutputStream").namedAnyOf("write"),
      instanceMethod().onDescendantOf("java.io.Writer").namedAnyOf("write", "append"),
      instanceMethod().onDescendantOf("java.io.PrintStream")
          .namedAnyOf("print", "println", "printf", "format"),
      instanceMethod().onDescendantOf("java.io.PrintWriter")
          .namedAnyOf("print", "println", "printf", "format"),
      instanceMethod().onDescendantOf("java.io.DataOutput")
          .withNameMatching(Pattern.compile("write.*")),
      instanceMethod().onDescendantOf("java.nio.channels.WritableByteChannel").named("write"),
      instanceMethod().onDescendantOf("java.nio.channels.GatheringByteChannel").named("write"));

  /** {@code close()} of the connection itself: a {@code Socket} or a {@code SocketChannel}. */
  public static final Matcher<ExpressionTree> CONNECTION_CLOSE = instanceMethod()
      .onDescendantOfAny(SOCKET, SOCKET_CHANNEL).named("close").withNoParameters();

  /** Any method of a {@code Socket} or of a {@code NetworkChannel} (options, shutdowns, I/O). */
  public static final Matcher<ExpressionTree> ON_CONNECTION =
      instanceMethod().onDescendantOfAny(SOCKET, NETWORK_CHANNEL);

  /** {@code close()} of anything: a stream over the socket closes the socket with it. */
  public static final Matcher<ExpressionTree> ANY_CLOSE =
      instanceMethod().onDescendantOf("java.lang.AutoCloseable").named("close").withNoParameters();

  /** {@code tree} without the parentheses and casts around it ({@code (SSLSocket) (socket)}). */
  public static ExpressionTree stripped(ExpressionTree tree) {
    return SocketFlowScanner.strip(tree);
  }

  private SocketMatchers() {}
}
