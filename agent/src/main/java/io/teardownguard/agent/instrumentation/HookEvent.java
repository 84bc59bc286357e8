package io.teardownguard.agent.instrumentation;

/** What the inserted call reports; the number is what the JDK method passes to the hook. */
public final class HookEvent {
  /** {@code sun.nio.ch.NioSocketImpl.close()} is about to run. */
  public static final int SOCKET_IMPL_CLOSE = 1;
  /** {@code NioSocketImpl.shutdownInput()} is about to run. */
  public static final int SOCKET_IMPL_SHUTDOWN_INPUT = 2;
  /** {@code NioSocketImpl.shutdownOutput()} is about to run. */
  public static final int SOCKET_IMPL_SHUTDOWN_OUTPUT = 3;
  /** {@code SocketChannelImpl} or {@code ServerSocketChannelImpl.implCloseSelectableChannel()} is about to run. */
  public static final int CHANNEL_CLOSE = 4;
  /** A channel's deferred close(2): {@code kill()} is about to run. */
  public static final int CHANNEL_KILL = 5;
  /** {@code SocketChannelImpl.shutdownInput()} is about to run. */
  public static final int CHANNEL_SHUTDOWN_INPUT = 6;
  /** {@code SocketChannelImpl.shutdownOutput()} is about to run. */
  public static final int CHANNEL_SHUTDOWN_OUTPUT = 7;
  /** {@code setOption(name, value)} returned normally. */
  public static final int OPTION_SET = 8;
  /** {@code NioSocketImpl.listen()} or {@code ServerSocketChannelImpl.bind()} returned: a port now listens. */
  public static final int LISTENING = 9;

  /**
   * {@code SSLSocketImpl.close()} is about to run: the TLS layer's own shutdowns and close of the
   * socket beneath, until {@link #API_RETURN}, are part of this one call.
   */
  public static final int SSL_CLOSE = 10;
  /** {@code SSLSocketImpl.shutdownInput()} is about to run (as {@link #SSL_CLOSE}). */
  public static final int SSL_SHUTDOWN_INPUT = 11;
  /** {@code SSLSocketImpl.shutdownOutput()} is about to run (as {@link #SSL_CLOSE}). */
  public static final int SSL_SHUTDOWN_OUTPUT = 12;
  /** A method entered with one of the {@code SSL_*} events returned or threw. */
  public static final int API_RETURN = 13;
  /**
   * A close entered with {@link #SOCKET_IMPL_CLOSE} or {@link #CHANNEL_CLOSE} returned or threw:
   * the JDK's close(2) (or its deferral) is done.
   */
  public static final int CLOSE_RETURN = 20;

  /**
   * {@code UnixAsynchronousSocketChannelImpl} or {@code UnixAsynchronousServerSocketChannelImpl.implClose()}
   * is about to run: once per channel, after {@code close()} set {@code closed}, before its close(2).
   */
  public static final int ASYNC_CLOSE = 14;
  /** {@code AsynchronousSocketChannelImpl.shutdownInput()} is about to run. */
  public static final int ASYNC_SHUTDOWN_INPUT = 15;
  /** {@code AsynchronousSocketChannelImpl.shutdownOutput()} is about to run. */
  public static final int ASYNC_SHUTDOWN_OUTPUT = 16;
  /** {@code AsynchronousServerSocketChannelImpl.bind()} returned: a port now listens. */
  public static final int ASYNC_LISTENING = 17;

  /**
   * {@code sun.net.httpserver.HttpConnection.close()} is about to run: the JDK's HttpServer closes a
   * connection itself; the socket close that follows on this thread is that connection's.
   */
  public static final int HTTP_CONNECTION_CLOSE = 18;
  /**
   * {@code sun.net.httpserver.LeftOverInputStream.close()} returned: it drained the request body,
   * perhaps not to its end; the handler that closed it is on the stack.
   */
  public static final int HTTP_BODY_CLOSED = 19;

  // Netty's native transports (epoll, io_uring), in io.netty.channel.unix, on an application class
  // loader: numbered apart from the JDK's events.
  /** {@code FileDescriptor.markClosed()} is about to run: the first call closes the descriptor. */
  public static final int NETTY_CLOSE = 30;
  /** {@code Socket.shutdown(read, write)} is about to run; passes (Boolean read, Boolean write). */
  public static final int NETTY_SHUTDOWN = 31;
  /** {@code Socket.setSoLinger(seconds)} returned normally; passes (Integer seconds, null). */
  public static final int NETTY_LINGER_SET = 32;
  /** {@code Socket.listen(backlog)} returned: a port now listens. */
  public static final int NETTY_LISTENING = 33;

  private HookEvent() {}
}
