package io.teardownguard.agent.instrumentation;

import java.io.IOException;

/**
 * Defines the hook class in java.base and points it at the agent's handler, once, when first
 * needed: before the first socket class is instrumented (the inserted call must resolve), or by
 * the warm-up thread. Nothing of it runs during JVM start-up.
 */
public final class LazyHooks {
  private final HookListener listener;
  private volatile BootHooks hooks;

  /** @param listener the dispatcher */
  public LazyHooks(HookListener listener) {
    this.listener = listener;
  }

  /** Errors the hooks caught, 0 if they were never defined (nothing ran through them). */
  public long errors() {
    BootHooks defined = hooks;
    return defined == null ? 0 : defined.errors();
  }

  /** The hook class, defined and installed. */
  public BootHooks get() throws ClassNotFoundException, IOException {
    BootHooks defined = hooks;
    if (defined == null) {
      synchronized (this) {
        defined = hooks;
        if (defined == null) {
          defined = BootHooks.define();
          defined.install(listener);
          hooks = defined;
        }
      }
    }
    return defined;
  }
}
