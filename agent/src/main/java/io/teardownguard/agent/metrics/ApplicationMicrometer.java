package io.teardownguard.agent.metrics;

import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Puts the meters into the application's own Micrometer, when it has one: a transformer that
 * changes nothing, only notices the application's class loader defining
 * {@code io.micrometer.core.instrument.Metrics} (the agent's copy is relocated, so that name is
 * always the application's), then registers the meters in that class's {@code globalRegistry}
 * from a daemon thread. Nothing of Micrometer is loaded by the agent for an application without
 * it; for one with it, the registration waits until the application itself loads Micrometer.
 */
public final class ApplicationMicrometer implements ClassFileTransformer {
  /**
   * {@code io/micrometer/core/instrument/Metrics}, built so that the shade plugin, which rewrites
   * string constants starting with a relocated package, leaves it the application's; with a
   * StringBuilder, as string concatenation's first use would cost start-up time.
   */
  private static final String METRICS_INTERNAL_NAME =
      new StringBuilder("io").append("/micrometer/core/instrument/Metrics").toString();

  private final Supplier<TeardownCounters> counters;
  private final LongSupplier errorCount;
  private final AtomicLong errors;
  private final PrintStream err;
  /** Loaders already bound (weakly held: an application may unload them). */
  private final Map<ClassLoader, Boolean> bound = Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * @param counters the reporter's counters (made at the first teardown or binding)
   * @param errorCount the agent's errors, as exported
   * @param errors where the bridge counts its own
   */
  public ApplicationMicrometer(Supplier<TeardownCounters> counters, LongSupplier errorCount, AtomicLong errors,
      PrintStream err) {
    this.counters = counters;
    this.errorCount = errorCount;
    this.errors = errors;
    this.err = err;
  }

  /** Called for every class the JVM loads: one string comparison, and null (no change). */
  @Override
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
      ProtectionDomain domain, byte[] bytes) {
    if (redefined == null && loader != null && METRICS_INTERNAL_NAME.equals(className)) {
      bindLater(loader);
    }
    return null;
  }

  /** For a dynamic attach: an application that loaded Micrometer before the agent came. */
  public void bindLoaded(Class<?>[] loaded) {
    for (Class<?> type : loaded) {
      if (type.getClassLoader() != null && type.getName().replace('.', '/').equals(METRICS_INTERNAL_NAME)) {
        bindLater(type.getClassLoader());
      }
    }
  }

  private void bindLater(ClassLoader loader) {
    if (bound.putIfAbsent(loader, Boolean.TRUE) != null) {
      return;
    }
    // Not here: the class is still being defined, on the application's thread, inside its loader.
    // The binder's Class.forName waits for that definition to finish.
    Thread binder = new Thread(new Binder(loader), "teardown-guard-micrometer");
    binder.setDaemon(true);
    binder.start();
  }

  /** Registers the meters in one loader's {@code Metrics.globalRegistry}. */
  private final class Binder implements Runnable {
    private final ClassLoader loader;

    Binder(ClassLoader loader) {
      this.loader = loader;
    }

    @Override
    public void run() {
      try {
        TeardownMeters.bind(counters.get(), errorCount, ApplicationRegistry.of(loader));
      } catch (Throwable t) {
        errors.incrementAndGet();
        err.println("teardown-guard: cannot add the teardown.* meters to the application's Micrometer (" + t
            + "); the agent runs on without them");
      }
    }
  }
}
