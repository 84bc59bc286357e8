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
}
