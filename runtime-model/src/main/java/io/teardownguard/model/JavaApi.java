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
  ASYNCHRONOUS_SERVER_SOCKET_CHANNEL(true, true);

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
   * its server twin, or an asynchronous channel), not a {@code NioSocketImpl}.
   */
  public boolean isChannel() {
    return channel;
  }

  /** Whether it is one of the NIO.2 asynchronous channels (completion handlers and futures). */
  public boolean isAsynchronous() {
    return this == ASYNCHRONOUS_SOCKET_CHANNEL || this == ASYNCHRONOUS_SERVER_SOCKET_CHANNEL;
  }
}
