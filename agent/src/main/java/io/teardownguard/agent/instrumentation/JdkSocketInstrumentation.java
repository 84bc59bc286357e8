package io.teardownguard.agent.instrumentation;

import static io.teardownguard.agent.instrumentation.HookTarget.afterReturn;
import static io.teardownguard.agent.instrumentation.HookTarget.atEntry;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which JDK methods get a hook. Only implementation classes of {@code sun.nio.ch}, at the
 * methods every teardown path funnels through once: Socket, ServerSocket and their streams end in
 * {@code NioSocketImpl}; SocketChannel, its adaptor and streams in
 * {@code SocketChannelImpl.implCloseSelectableChannel()}; a Selector's deferred close in
 * {@code kill()}. The public API is not hooked (a teardown would be reported twice); the call site
 * is found by walking the stack. Nothing on the read/write path is touched. The signatures are the
 * same in JDK 17 and JDK 25.
 */
public final class JdkSocketInstrumentation {
  private static final String NIO_SOCKET_IMPL = "sun/nio/ch/NioSocketImpl";
  private static final String SOCKET_CHANNEL_IMPL = "sun/nio/ch/SocketChannelImpl";
  private static final String SERVER_SOCKET_CHANNEL_IMPL = "sun/nio/ch/ServerSocketChannelImpl";

  static final List<HookTarget> TARGETS = List.of(
      atEntry(NIO_SOCKET_IMPL, "close", "()V", HookEvent.SOCKET_IMPL_CLOSE),
      atEntry(NIO_SOCKET_IMPL, "shutdownInput", "()V", HookEvent.SOCKET_IMPL_SHUTDOWN_INPUT),
      atEntry(NIO_SOCKET_IMPL, "shutdownOutput", "()V", HookEvent.SOCKET_IMPL_SHUTDOWN_OUTPUT),
      afterReturn(NIO_SOCKET_IMPL, "setOption", "(ILjava/lang/Object;)V", HookEvent.OPTION_SET),
      afterReturn(NIO_SOCKET_IMPL, "setOption", "(Ljava/net/SocketOption;Ljava/lang/Object;)V", HookEvent.OPTION_SET),
      afterReturn(NIO_SOCKET_IMPL, "listen", "(I)V", HookEvent.LISTENING),
      atEntry(SOCKET_CHANNEL_IMPL, "implCloseSelectableChannel", "()V", HookEvent.CHANNEL_CLOSE),
      atEntry(SOCKET_CHANNEL_IMPL, "kill", "()V", HookEvent.CHANNEL_KILL),
      atEntry(SOCKET_CHANNEL_IMPL, "shutdownInput", "()Ljava/nio/channels/SocketChannel;", HookEvent.CHANNEL_SHUTDOWN_INPUT),
      atEntry(SOCKET_CHANNEL_IMPL, "shutdownOutput", "()Ljava/nio/channels/SocketChannel;", HookEvent.CHANNEL_SHUTDOWN_OUTPUT),
      afterReturn(SOCKET_CHANNEL_IMPL, "setOption", "(Ljava/net/SocketOption;Ljava/lang/Object;)Ljava/nio/channels/SocketChannel;",
          HookEvent.OPTION_SET),
      atEntry(SERVER_SOCKET_CHANNEL_IMPL, "implCloseSelectableChannel", "()V", HookEvent.CHANNEL_CLOSE),
      atEntry(SERVER_SOCKET_CHANNEL_IMPL, "kill", "()V", HookEvent.CHANNEL_KILL),
      afterReturn(SERVER_SOCKET_CHANNEL_IMPL, "bind", "(Ljava/net/SocketAddress;I)Ljava/nio/channels/ServerSocketChannel;",
          HookEvent.LISTENING));

  private JdkSocketInstrumentation() {}

  /**
   * Adds the transformer and retransforms the three classes (loading them if the application
   * has not yet); returns the classes that could not be transformed, empty on success.
   */
  public static Set<String> install(Instrumentation instrumentation, AtomicLong errors)
      throws ClassNotFoundException, UnmodifiableClassException {
    HookInjector injector = new HookInjector(TARGETS, errors);
    instrumentation.addTransformer(injector, true);
    Set<String> owners = new TreeSet<>(injector.owners());
    Class<?>[] classes = new Class<?>[owners.size()];
    int i = 0;
    for (String owner : owners) {
      classes[i++] = Class.forName(owner.replace('/', '.'), false, null);
    }
    instrumentation.retransformClasses(classes);
    Set<String> missing = new TreeSet<>(owners);
    missing.removeAll(injector.transformed());
    return missing;
  }
}
