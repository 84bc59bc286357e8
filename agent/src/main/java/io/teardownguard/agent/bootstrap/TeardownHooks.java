package io.teardownguard.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one entry point the code inserted into the JDK's socket classes calls. The agent never
 * loads this class as it is: it copies its bytes into java.base as {@code sun.nio.ch.TeardownGuardHooks},
 * next to NioSocketImpl and SocketChannelImpl, so the JDK's classes can call it without a read
 * edge and without appending to the bootstrap class path (which makes HotSpot print a CDS
 * warning on the application's stdout). Hence JDK types only, and no reference to the agent.
 *
 * <p>{@link #on} returns normally whatever happens: an error in the agent is counted, never thrown
 * into the application. A thread-local flag keeps the agent's own socket work (and anything the
 * handler itself tears down) from re-entering.
 */
public final class TeardownHooks {
  /** {@code (int event, Object socket, Object name, Object value)void}; set once at install. */
  private static volatile MethodHandle handler;
  private static final AtomicLong ERRORS = new AtomicLong();
  /** Only the silenced calls (the agent's own sockets): the application's pay no shared counter. */
  private static final LongAdder SILENCED_CALLS = new LongAdder();
  private static final ThreadLocal<Boolean> INSIDE = new ThreadLocal<>();

  private TeardownHooks() {}

  public static void install(MethodHandle installed) {
    handler = installed;
  }

  /** Errors caught here since start. */
  public static long errors() {
    return ERRORS.get();
  }

  /** Calls made while silenced, since start; the agent's self-test checks that this moves. */
  public static long silencedCalls() {
    return SILENCED_CALLS.sum();
  }

  /** Runs {@code work} with the hooks silenced on this thread (for the agent's own sockets). */
  public static void quietly(Runnable work) {
    Boolean outer = INSIDE.get();
    INSIDE.set(Boolean.TRUE);
    try {
      work.run();
    } finally {
      if (outer == null) {
        INSIDE.remove();
      }
    }
  }

  /** Called by the inserted code; {@code name} and {@code value} only for an option set. */
  public static void on(int event, Object socket, Object name, Object value) {
    MethodHandle h = handler;
    if (INSIDE.get() != null) {
      SILENCED_CALLS.increment();
      return;
    }
    if (h == null) {
      return;
    }
    INSIDE.set(Boolean.TRUE);
    try {
      h.invokeExact(event, socket, name, value);
    } catch (Throwable t) {
      ERRORS.incrementAndGet();
    } finally {
      // Not remove(): the get() above made this thread's entry, and removing it would make get()
      // allocate a new one at every hook call.
      INSIDE.set(null);
    }
  }
}
