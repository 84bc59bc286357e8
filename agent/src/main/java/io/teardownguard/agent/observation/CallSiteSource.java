package io.teardownguard.agent.observation;

import java.util.function.Supplier;

/** Where a teardown was called from, found on demand: the bounded stack, or the site alone. */
@FunctionalInterface
public interface CallSiteSource extends Supplier<CallSite> {
  /** The API and site, without the stack when it has not been walked yet (cheaper). */
  default CallSite site() {
    return get();
  }
}
