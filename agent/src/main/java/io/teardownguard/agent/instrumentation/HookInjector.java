package io.teardownguard.agent.instrumentation;

import io.teardownguard.agent.cache.AgentCache;
import io.teardownguard.agent.jdk.JdkHttpServer;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hooks the JDK's socket classes (and Netty's native sockets, {@link NettyNativeInstrumentation})
 * as they load: the class with its hooks comes from the {@link AgentCache} when this agent build
 * hooked exactly these bytes before, in any JVM of this user's, and from {@link HookWeaver}
 * otherwise (then stored for the next JVM).
 */
final class HookInjector implements ClassFileTransformer {
  private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
  private final List<HookTarget> targets;
  private final Set<String> owners = new HashSet<>();
  private final LazyHooks hooks;
  private final AtomicLong errors;
  private final Admission admission;
  private final AgentCache cache;

  /**
   * Whether a class of the targets' names, loaded by {@code loader} into {@code module}, gets its
   * hooks: the inserted call must resolve, from there, to the hook class (defined by then).
   */
  @FunctionalInterface
  interface Admission {
    boolean admits(Module module, ClassLoader loader) throws ReflectiveOperationException;
  }

  /**
   * The JDK's own classes, never an application's of the same name: the bootstrap loader's
   * (java.base) and the platform loader's (jdk.httpserver, whose module is given access to the hook
   * class when its first class loads).
   */
  HookInjector(List<HookTarget> targets, LazyHooks hooks, AtomicLong errors, AgentCache cache,
      Instrumentation instrumentation) {
    this(targets, hooks, errors, cache, new JdkLoaders(instrumentation));
  }

  /** A class, not a lambda: a lambda costs a LambdaMetafactory spin at install (issue 14). */
  private static final class JdkLoaders implements Admission {
    private final Instrumentation instrumentation;
    private volatile boolean httpServerOpened;

    JdkLoaders(Instrumentation instrumentation) {
      this.instrumentation = instrumentation;
    }

    /**
     * Opens jdk.httpserver to the hook class (and to the agent's reads) at its first hooked class,
     * not at premain: two module redefinitions fewer in a JVM that never starts an HttpServer.
     */
    @Override
    public boolean admits(Module module, ClassLoader loader) {
      if (loader == PLATFORM && !httpServerOpened) {
        JdkHttpServer.openPackages(instrumentation);
        httpServerOpened = true;
      }
      return loader == null || loader == PLATFORM;
    }
  }

  HookInjector(List<HookTarget> targets, LazyHooks hooks, AtomicLong errors, AgentCache cache, Admission admission) {
    this.targets = targets;
    this.cache = cache;
    this.hooks = hooks;
    this.errors = errors;
    this.admission = admission;
    for (HookTarget target : targets) {
      owners.add(target.owner());
    }
  }

  /**
   * Adds the transformers, which instrument their target classes when they load, then
   * retransforms those already loaded (a dynamic attach); {@link #transform} admits or leaves each
   * by its loader. The loaded classes are listed once for all, after every transformer is added,
   * so that a class loaded meanwhile is seen by one or the other: each class is named to compare
   * it (a string made per class, a few hundred at premain), which was some ms per transformer.
   */
  static void addAll(Instrumentation instrumentation, HookInjector... injectors) throws UnmodifiableClassException {
    Set<String> ownerNames = new HashSet<>();
    for (HookInjector injector : injectors) {
      instrumentation.addTransformer(injector, true);
      // Binary names compared as they are, not each loaded class's converted to an internal name.
      for (String owner : injector.owners) {
        ownerNames.add(owner.replace('/', '.'));
      }
    }
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (ownerNames.contains(type.getName())) {
        loaded.add(type);
      }
    }
    if (!loaded.isEmpty()) {
      instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
    }
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
      ProtectionDomain domain, byte[] bytes) {
    if (!owners.contains(className)) {
      return null;
    }
    try {
      // The inserted call must find its class: no hook class, or none this loader reaches, no transformation.
      hooks.get();
      if (!admission.admits(module, loader)) {
        return null;
      }
      String entry = AgentCache.nameFor("hooked-" + className.replace('/', '.') + "-", bytes, ".class");
      byte[] hooked = cache.derived(entry, bytes);
      if (hooked == null) {
        hooked = new HookWeaver(targets).weave(className, bytes);
        cache.storeDerived(entry, bytes, hooked);
      }
      return hooked;
    } catch (Throwable t) {
      errors.incrementAndGet();
      return null; // the class stays as the JDK made it
    }
  }
}
