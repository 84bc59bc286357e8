package io.teardownguard.model;

/** The Java class through which the application owns a socket; it decides the JDK layer's syscalls. */
public enum JavaApi {
  /** {@code java.net.Socket} over {@code sun.nio.ch.NioSocketImpl} (JDK 13+). */
  SOCKET(false, false),
  /** {@code java.net.ServerSocket} over {@code sun.nio.ch.NioSocketImpl}. */
  SERVER_SOCKET(true, false),
  /** {@code java.nio.channels.SocketChannel} ({@code sun.nio.ch.SocketChannelImpl}). */
  SOCKET_CHANNEL(false, true),
  /** {@code java.nio.channels.ServerSocketChannel} ({@code sun.nio.ch.ServerSocketChannelImpl}). */
  SERVER_SOCKET_CHANNEL(true, true),
  /** {@code SocketChannel.socket()}: {@code sun.nio.ch.SocketAdaptor}, which delegates to the channel. */
  SOCKET_ADAPTOR(false, true),
  /** {@code ServerSocketChannel.socket()}: {@code sun.nio.ch.ServerSocketAdaptor}. */
  SERVER_SOCKET_ADAPTOR(true, true);

  private final boolean listener;
  private final boolean channel;

  JavaApi(boolean listener, boolean channel) {
    this.listener = listener;
    this.channel = channel;
  }

  public boolean isListener() {
    return listener;
  }

  /** Whether the socket is implemented by {@code sun.nio.ch.SocketChannelImpl} or its server twin. */
  public boolean isChannel() {
    return channel;
  }

  /**
   * The name the report, the JFR events and the exit summary give this API: the public class, or
   * for an adaptor the call that returns it. The one vocabulary of "api" with {@link #tag()}.
   */
  public String reportName() {
    return switch (this) {
      case SOCKET -> "java.net.Socket";
      case SERVER_SOCKET -> "java.net.ServerSocket";
      case SOCKET_CHANNEL -> "java.nio.channels.SocketChannel";
      case SERVER_SOCKET_CHANNEL -> "java.nio.channels.ServerSocketChannel";
      case SOCKET_ADAPTOR -> "SocketChannel.socket()";
      case SERVER_SOCKET_ADAPTOR -> "ServerSocketChannel.socket()";
      default -> tag();
    };
  }

  /** The metric tag's value: SOCKET_CHANNEL is SocketChannel. */
  public String tag() {
    StringBuilder tag = new StringBuilder();
    for (String word : name().split("_")) {
      tag.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return tag.toString();
  }
}
