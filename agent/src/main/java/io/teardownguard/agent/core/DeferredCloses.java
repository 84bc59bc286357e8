package io.teardownguard.agent.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes of channels registered with a Selector, waiting for the Selector to release the socket
 * (SocketChannelImpl.kill()). One teardown is reported once, when its close(2) really happens;
 * at most {@link #MAX_PENDING} wait, a close beyond that is reported at once.
 */
final class DeferredCloses {
  static final int MAX_PENDING = 65_536;

  /** What was known at close(), completed at kill() or, failing that, at exit. */
  interface Pending {
    /** The Selector released the socket: report the teardown with what happened then. */
    void released();

    /** The JVM exits and no select released the socket. */
    void abandoned();
  }

  private final Map<Object, Pending> pending = new ConcurrentHashMap<>();

  /** Parks {@code close}; false when full (the caller reports it now instead). */
  boolean park(Object channel, Pending close) {
    if (pending.size() >= MAX_PENDING) {
      return false;
    }
    pending.put(channel, close);
    return true;
  }

  /** The Selector releases {@code channel}: its parked close completes now. */
  void release(Object channel) {
    Pending close = pending.remove(channel);
    if (close != null) {
      close.released();
    }
  }

  /** At exit: closes whose Selector never selected again. */
  void abandonAll() {
    for (Pending close : pending.values()) {
      close.abandoned();
    }
    pending.clear();
  }
}
