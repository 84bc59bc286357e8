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
  SERVER_SOCKET_ADAPTOR(true, true),
  /**
   * {@code java.nio.channels.AsynchronousSocketChannel} ({@code sun.nio.ch.UnixAsynchronousSocketChannelImpl}):
   * a non-blocking descriptor polled by its group's epoll port, never by a Selector.
   */
  ASYNCHRONOUS_SOCKET_CHANNEL(false, true),
  /** {@code java.nio.channels.AsynchronousServerSocketChannel} ({@code sun.nio.ch.UnixAsynchronousServerSocketChannelImpl}). */
  ASYNCHRONOUS_SERVER_SOCKET_CHANNEL(true, true),
  /**
   * Netty's {@code io.netty.channel.epoll.EpollSocketChannel}: its native socket, non-blocking,
   * closed by close(2) alone (no shutdown first), as an unregistered {@code SocketChannel} is.
   */
  NETTY_EPOLL_SOCKET_CHANNEL(false, true),
  /** Netty's {@code io.netty.channel.epoll.EpollServerSocketChannel}. */
  NETTY_EPOLL_SERVER_SOCKET_CHANNEL(true, true),
  /** Netty 4.2's {@code io.netty.channel.uring.IoUringSocketChannel}: its close is IORING_OP_CLOSE, close(2)'s effect. */
  NETTY_IO_URING_SOCKET_CHANNEL(false, true),
  /** Netty 4.2's {@code io.netty.channel.uring.IoUringServerSocketChannel}. */
  NETTY_IO_URING_SERVER_SOCKET_CHANNEL(true, true);

  private final boolean listener;
  private final boolean channel;

  JavaApi(boolean listener, boolean channel) {
    this.listener = listener;
    this.channel = channel;
  }

  public boolean isListener() {
    return listener;
  }

  /**
   * Whether the socket is a {@code java.nio.channels} channel ({@code sun.nio.ch.SocketChannelImpl},
   * its server twin, or an asynchronous channel) or one of Netty's native sockets, not a
   * {@code NioSocketImpl}: its close is close(2) alone.
   */
  public boolean isChannel() {
    return channel;
  }

  /** Whether it is one of the NIO.2 asynchronous channels (completion handlers and futures). */
  public boolean isAsynchronous() {
    return this == ASYNCHRONOUS_SOCKET_CHANNEL || this == ASYNCHRONOUS_SERVER_SOCKET_CHANNEL;
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
      case ASYNCHRONOUS_SOCKET_CHANNEL -> "java.nio.channels.AsynchronousSocketChannel";
      case ASYNCHRONOUS_SERVER_SOCKET_CHANNEL -> "java.nio.channels.AsynchronousServerSocketChannel";
      case NETTY_EPOLL_SOCKET_CHANNEL -> "io.netty.channel.epoll.EpollSocketChannel";
      case NETTY_EPOLL_SERVER_SOCKET_CHANNEL -> "io.netty.channel.epoll.EpollServerSocketChannel";
      case NETTY_IO_URING_SOCKET_CHANNEL -> "io.netty.channel.uring.IoUringSocketChannel";
      case NETTY_IO_URING_SERVER_SOCKET_CHANNEL -> "io.netty.channel.uring.IoUringServerSocketChannel";
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
