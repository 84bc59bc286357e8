package io.teardownguard.agent.observation;

/**
 * A teardown's call site, walked on the calling thread when first asked for: {@link #site()}
 * walks only to the application's frame, {@link #get()} the bounded stack. A registered
 * channel's close walks it before it is parked, so the Selector's thread that reports it later
 * only reads it (the parking map's put and remove order the two). Made only for a teardown that
 * is reported.
 */
public final class LazyCallSite implements CallSiteSource {
  private final String fallbackApi;
  private final int depth;
  private CallSite site;
  private CallSite full;

  public LazyCallSite(String fallbackApi, int depth) {
    this.fallbackApi = fallbackApi;
    this.depth = depth;
  }

  @Override
  public CallSite get() {
    if (full == null) {
      full = CallSite.capture(fallbackApi, depth);
    }
    return full;
  }

  @Override
  public CallSite site() {
    if (full != null) {
      return full;
    }
    if (site == null) {
      site = CallSite.site(fallbackApi);
    }
    return site;
  }
}
