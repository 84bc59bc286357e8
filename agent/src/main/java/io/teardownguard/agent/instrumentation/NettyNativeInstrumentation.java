package io.teardownguard.agent.instrumentation;

import static io.teardownguard.agent.instrumentation.HookTarget.afterReturn;
import static io.teardownguard.agent.instrumentation.HookTarget.atEntry;

import io.teardownguard.agent.cache.AgentCache;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which methods of Netty's native transports get a hook, by class name, on whatever class loader
 * loads them: the agent has no dependency on Netty. Epoll and io_uring (and kqueue) keep their
 * descriptor in {@code io.netty.channel.unix.Socket}, a {@code FileDescriptor}, and every teardown
 * of theirs funnels through it: {@code AbstractEpollChannel.doClose()} ends in
 * {@code FileDescriptor.close()}, io_uring's {@code doClose()} in {@code markClosed()} before it
 * queues IORING_OP_CLOSE, and {@code close()} itself calls {@code markClosed()}, whose first call
 * flips the closed bit: so {@code markClosed()} is the one close. Shutdowns
 * ({@code doShutdownOutput}, {@code shutdownInput0}, the input shut at a half-closure) end in
 * {@code Socket.shutdown(read, write)}; the channel configs' {@code setSoLinger} in
 * {@code Socket.setSoLinger}. Nothing on the read/write path is touched. Checked in Netty 4.1.115
 * and 4.2.21 ({@code markClosed} is missing from older 4.1 releases, e.g. 4.1.42: not hooked there).
 *
 * <p>The inserted call names {@code sun.nio.ch.TeardownGuardHooks} in java.base, which the JDK
 * does not export: Netty's module (its class loader's unnamed module, usually the application's)
 * gets that one package exported to it, which the agent's own opening of it already does when
 * Netty and the agent share the system class loader. A loader that does not reach the bootstrap
 * loader's class by that name (an isolating loader) is left alone, so the call can never fail.
 */
public final class NettyNativeInstrumentation {
  private static final String FILE_DESCRIPTOR = "io/netty/channel/unix/FileDescriptor";
  private static final String SOCKET = "io/netty/channel/unix/Socket";
  private static final String SUN_NIO_CH = "sun.nio.ch";

  static final List<HookTarget> TARGETS = List.of(
      atEntry(FILE_DESCRIPTOR, "markClosed", "()Z", HookEvent.NETTY_CLOSE),
      atEntry(SOCKET, "shutdown", "(ZZ)V", HookEvent.NETTY_SHUTDOWN),
      afterReturn(SOCKET, "setSoLinger", "(I)V", HookEvent.NETTY_LINGER_SET),
      afterReturn(SOCKET, "listen", "(I)V", HookEvent.NETTY_LISTENING));

  private NettyNativeInstrumentation() {}

  /**
   * The transformer that instruments Netty's unix classes when a class loader loads them (added,
   * and those already loaded retransformed, with the JDK's: {@link JdkSocketInstrumentation#install}).
   * An application without Netty's native transport never loads them: nothing is parsed or
   * defined for it, and no socket call of the JDK passes here.
   */
  static HookInjector injector(Instrumentation instrumentation, LazyHooks hooks, AtomicLong errors, AgentCache cache) {
    return new HookInjector(TARGETS, hooks, errors, cache, new NettyLoaders(instrumentation));
  }

  /** Netty's loaders that reach the hook class; a class, not a lambda (a LambdaMetafactory spin at install). */
  private static final class NettyLoaders implements HookInjector.Admission {
    private final Instrumentation instrumentation;

    NettyLoaders(Instrumentation instrumentation) {
      this.instrumentation = instrumentation;
    }

    @Override
    public boolean admits(Module module, ClassLoader loader) {
      return loader != null && reachesHooks(instrumentation, module, loader);
    }
  }

  /**
   * Exports sun.nio.ch to {@code module} if it is not yet, and checks that {@code loader} finds
   * the hook class there (the bootstrap loader's, which only the agent defines under that name).
   */
  private static boolean reachesHooks(Instrumentation instrumentation, Module module, ClassLoader loader) {
    Module javaBase = Object.class.getModule();
    if (!javaBase.isExported(SUN_NIO_CH, module)) {
      instrumentation.redefineModule(javaBase, Set.of(), Map.of(SUN_NIO_CH, Set.of(module)), Map.of(), Set.of(),
          Map.of());
    }
    try {
      return Class.forName(BootHooks.TARGET.replace('/', '.'), false, loader).getClassLoader() == null;
    } catch (ClassNotFoundException | LinkageError isolated) {
      return false;
    }
  }
}
