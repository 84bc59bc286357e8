package io.teardownguard.agent.core;

import java.nio.channels.Selector;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes of channels registered with a Selector, waiting for the Selector to release the socket
 * (SocketChannelImpl.kill()). Each is reported exactly once: removing it from the map is the
 * claim, so a release racing the exit drain reports it once, from whichever removed it. At most
 * {@link #MAX_PENDING} wait; a close beyond that, or parked once the drain began, is reported at
 * once.
 */
final class DeferredCloses {
  static final int MAX_PENDING = 65_536;
  /**
   * A close this old at exit, with a thread still blocked in select() on its Selector, was not a
   * race with exit: that Selector did not wake for it (docs/semantics.md, CLOSE_DEFERRED_BY_SELECTOR).
   */
  static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** How long exit waits for Selectors already closing to release their channels. */
  static final long CLOSING_SELECTOR_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** What was known at close(), completed at kill() or, failing that, at exit. */
  abstract static class Pending {
    /** The Selector the channel was registered with at close(), or null when not known. */
    final Selector selector;
    /** {@link System#nanoTime()} at close(). */
    final long parkedAt = System.nanoTime();

    Pending(Selector selector) {
      this.selector = selector;
    }

    /** The Selector released the socket: report the teardown with what happened then. */
    abstract void released();

    /** The JVM exits and no select released the socket; {@code why} says whether that is a finding. */
    abstract void abandoned(Abandoned why, long pendingNanos);
  }

  /** Why a close was still waiting at exit. */
  enum Abandoned {
    /** Its Selector is closed: its own close releases the channel; not a finding. */
    SELECTOR_CLOSED(false),
    /** A thread is blocked in select() on its Selector and the close is recent: exit came first. */
    RACED_EXIT(false),
    /** A thread is in select() on its Selector, but it has not woken for a second or more. */
    SELECTOR_NOT_WOKEN(true),
    /** No thread selects on its Selector, which is left open: nothing will ever release it. */
    NO_SELECT(true);

    private final boolean finding;

    Abandoned(boolean finding) {
      this.finding = finding;
    }

    boolean finding() {
      return finding;
    }
  }

  private final Map<Object, Pending> pending = new ConcurrentHashMap<>();
  private final SelectorState selectors;
  private volatile boolean draining;

  DeferredCloses(SelectorState selectors) {
    this.selectors = selectors;
  }

  /** The Selector {@code channel} is registered with now, or null. */
  Selector selectorOf(Object channel) {
    return selectors.selectorOf(channel);
  }

  /** Parks {@code close}; false when full or draining (the caller reports it now instead). */
  boolean park(Object channel, Pending close) {
    if (draining || pending.size() >= MAX_PENDING) {
      return false;
    }
    pending.put(channel, close);
    return true;
  }

  /** The Selector releases {@code channel}: its parked close completes now, if not claimed yet. */
  void release(Object channel) {
    Pending close = pending.remove(channel);
    if (close != null) {
      close.released();
    }
  }

  /**
   * At exit: closes whose Selector never selected again. Selectors already closed (an
   * application's shutdown path closing its event loop) get up to 100 ms to release theirs.
   */
  void abandonAll() {
    draining = true;
    long start = System.nanoTime();
    try {
      while (System.nanoTime() - start < CLOSING_SELECTOR_WAIT_NANOS && anySelectorClosed()) {
        TimeUnit.MILLISECONDS.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // report what is left now
    }
    for (Object channel : pending.keySet()) {
      Pending close = pending.remove(channel);
      if (close != null) {
        long age = System.nanoTime() - close.parkedAt;
        close.abandoned(why(close.selector, age), age);
      }
    }
  }

  private boolean anySelectorClosed() {
    for (Pending close : pending.values()) {
      if (close.selector != null && !close.selector.isOpen()) {
        return true;
      }
    }
    return false;
  }

  Abandoned why(Selector selector, long pendingNanos) {
    if (selector != null && !selector.isOpen()) {
      return Abandoned.SELECTOR_CLOSED;
    }
    if (!selectors.selecting(selector)) {
      return Abandoned.NO_SELECT;
    }
    return pendingNanos < STALE_NANOS ? Abandoned.RACED_EXIT : Abandoned.SELECTOR_NOT_WOKEN;
  }
}
