package io.teardownguard.agent.instrumentation;

import static io.teardownguard.agent.instrumentation.HookTarget.afterReturn;
import static io.teardownguard.agent.instrumentation.HookTarget.around;
import static io.teardownguard.agent.instrumentation.HookTarget.atEntry;
import static io.teardownguard.agent.instrumentation.HookTarget.closeAround;

import io.teardownguard.agent.cache.AgentCache;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which JDK methods get a hook. Implementation classes of {@code sun.nio.ch}, at the
 * methods every teardown path funnels through once: Socket, ServerSocket and their streams end in
 * {@code NioSocketImpl}; SocketChannel, its adaptor and streams in
 * {@code SocketChannelImpl.implCloseSelectableChannel()}; a Selector's deferred close in
 * {@code kill()}. The public API is not hooked (a teardown would be reported twice); the call site
 * is found by walking the stack. Nothing on the read/write path is touched. The signatures are the
 * same in JDK 17 and JDK 25. And {@code sun.security.ssl.SSLSocketImpl}, whose teardown calls
 * mark where the TLS layer's own calls on the socket beneath begin and end.
 */
public final class JdkSocketInstrumentation {
  private static final String NIO_SOCKET_IMPL = "sun/nio/ch/NioSocketImpl";
  private static final String SOCKET_CHANNEL_IMPL = "sun/nio/ch/SocketChannelImpl";
  private static final String SERVER_SOCKET_CHANNEL_IMPL = "sun/nio/ch/ServerSocketChannelImpl";
  private static final String SSL_SOCKET_IMPL = "sun/security/ssl/SSLSocketImpl";
  private static final String ASYNC_SOCKET_CHANNEL_IMPL = "sun/nio/ch/AsynchronousSocketChannelImpl";
  private static final String ASYNC_SERVER_SOCKET_CHANNEL_IMPL = "sun/nio/ch/AsynchronousServerSocketChannelImpl";

  static final List<HookTarget> TARGETS = List.of(
      // Closes are read at entry and reported on the way out: the prediction, the record and a
      // stack walk no longer sit between the kernel reading and the JDK's close(2).
      closeAround(NIO_SOCKET_IMPL, "close", "()V", HookEvent.SOCKET_IMPL_CLOSE),
      atEntry(NIO_SOCKET_IMPL, "shutdownInput", "()V", HookEvent.SOCKET_IMPL_SHUTDOWN_INPUT),
      atEntry(NIO_SOCKET_IMPL, "shutdownOutput", "()V", HookEvent.SOCKET_IMPL_SHUTDOWN_OUTPUT),
      afterReturn(NIO_SOCKET_IMPL, "setOption", "(ILjava/lang/Object;)V", HookEvent.OPTION_SET),
      afterReturn(NIO_SOCKET_IMPL, "setOption", "(Ljava/net/SocketOption;Ljava/lang/Object;)V", HookEvent.OPTION_SET),
      afterReturn(NIO_SOCKET_IMPL, "listen", "(I)V", HookEvent.LISTENING),
      closeAround(SOCKET_CHANNEL_IMPL, "implCloseSelectableChannel", "()V", HookEvent.CHANNEL_CLOSE),
      atEntry(SOCKET_CHANNEL_IMPL, "kill", "()V", HookEvent.CHANNEL_KILL),
      atEntry(SOCKET_CHANNEL_IMPL, "shutdownInput", "()Ljava/nio/channels/SocketChannel;", HookEvent.CHANNEL_SHUTDOWN_INPUT),
      atEntry(SOCKET_CHANNEL_IMPL, "shutdownOutput", "()Ljava/nio/channels/SocketChannel;", HookEvent.CHANNEL_SHUTDOWN_OUTPUT),
      afterReturn(SOCKET_CHANNEL_IMPL, "setOption", "(Ljava/net/SocketOption;Ljava/lang/Object;)Ljava/nio/channels/SocketChannel;",
          HookEvent.OPTION_SET),
      closeAround(SERVER_SOCKET_CHANNEL_IMPL, "implCloseSelectableChannel", "()V", HookEvent.CHANNEL_CLOSE),
      atEntry(SERVER_SOCKET_CHANNEL_IMPL, "kill", "()V", HookEvent.CHANNEL_KILL),
      afterReturn(SERVER_SOCKET_CHANNEL_IMPL, "bind", "(Ljava/net/SocketAddress;I)Ljava/nio/channels/ServerSocketChannel;",
          HookEvent.LISTENING),
      // The TLS layer's public teardown calls: what the JDK does to the socket beneath inside
      // them (close_notify, shutdownOutput, shutdownInput, close) is one teardown, not the
      // application's calls. Its streams' close() calls SSLSocketImpl.close().
      around(SSL_SOCKET_IMPL, "close", "()V", HookEvent.SSL_CLOSE),
      around(SSL_SOCKET_IMPL, "shutdownInput", "()V", HookEvent.SSL_SHUTDOWN_INPUT),
      around(SSL_SOCKET_IMPL, "shutdownOutput", "()V", HookEvent.SSL_SHUTDOWN_OUTPUT),
      // Asynchronous channels: close() (final, in the base class) sets `closed` once and calls
      // implClose(), which the Linux classes implement as unregister + close(2): the hook at its
      // entry sees each channel's one close, with the descriptor still open. The shutdowns are
      // final in the base class; bind() records a listening port. No setOption hook: the JDK
      // refuses SO_LINGER on them (UnsupportedOperationException), so it is always off.
      atEntry("sun/nio/ch/UnixAsynchronousSocketChannelImpl", "implClose", "()V", HookEvent.ASYNC_CLOSE),
      atEntry("sun/nio/ch/UnixAsynchronousServerSocketChannelImpl", "implClose", "()V", HookEvent.ASYNC_CLOSE),
      atEntry(ASYNC_SOCKET_CHANNEL_IMPL, "shutdownInput", "()Ljava/nio/channels/AsynchronousSocketChannel;",
          HookEvent.ASYNC_SHUTDOWN_INPUT),
      atEntry(ASYNC_SOCKET_CHANNEL_IMPL, "shutdownOutput", "()Ljava/nio/channels/AsynchronousSocketChannel;",
          HookEvent.ASYNC_SHUTDOWN_OUTPUT),
      afterReturn(ASYNC_SERVER_SOCKET_CHANNEL_IMPL, "bind",
          "(Ljava/net/SocketAddress;I)Ljava/nio/channels/AsynchronousServerSocketChannel;", HookEvent.ASYNC_LISTENING),
      // The JDK's HttpServer closing a connection on its own because a handler left the request
      // body unread: where the handler closed the body, and which handler ran on the connection.
      // Platform-loader classes (module jdk.httpserver).
      afterReturn("sun/net/httpserver/LeftOverInputStream", "close", "()V", HookEvent.HTTP_BODY_CLOSED),
      atEntry("sun/net/httpserver/HttpConnection", "close", "()V", HookEvent.HTTP_CONNECTION_CLOSE));

  private JdkSocketInstrumentation() {}

  /**
   * Adds the transformers of the JDK's classes and of Netty's native ones
   * ({@link NettyNativeInstrumentation}), which instrument the target classes when they load, and
   * retransforms those already loaded (a dynamic attach). At JVM start-up none is loaded yet:
   * nothing is parsed or defined until the application (or the agent's warm-up) first uses a socket.
   */
  public static void install(Instrumentation instrumentation, LazyHooks hooks, AtomicLong errors, AgentCache cache)
      throws UnmodifiableClassException {
    HookInjector.addAll(instrumentation, new HookInjector(TARGETS, hooks, errors, cache, instrumentation),
        NettyNativeInstrumentation.injector(instrumentation, hooks, errors, cache));
  }
}
