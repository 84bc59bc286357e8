package io.teardownguard.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
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
 * into the application. A per-thread flag keeps the agent's own socket work (and anything the
 * handler itself tears down) from re-entering.
 *
 * <p>The handler sits in a {@link MutableCallSite} reached through a static final invoker: the JIT
 * compiles the call as a direct call to the installed handler, inlined into the hooked method,
 * and recompiles it if another handler is installed. Through a volatile field holding the handle
 * each call was an indirect call the JIT could not see through (issue 14).
 */
public final class TeardownHooks {
  private static final MethodType HANDLER_TYPE =
      MethodType.methodType(void.class, int.class, Object.class, Object.class, Object.class);
  /** {@code (int event, Object socket, Object name, Object value)void}; nothing until installed. */
  private static final MutableCallSite HANDLER = new MutableCallSite(MethodHandles.empty(HANDLER_TYPE));
  private static final MethodHandle CALL_HANDLER = HANDLER.dynamicInvoker();
  private static final AtomicLong ERRORS = new AtomicLong();
  /** Only the silenced calls (the agent's own sockets): the application's pay no shared counter. */
  private static final LongAdder SILENCED_CALLS = new LongAdder();
  /**
   * Each thread's flag, element 0 nonzero while the thread is inside the handler or silenced: one
   * lookup per hook call, where a {@code ThreadLocal<Boolean>} set and reset took three.
   */
  private static final ThreadLocal<int[]> INSIDE = new ThreadLocal<>();

  private TeardownHooks() {}

  /** Points the hooks at {@code installed}, or at nothing (null: the agent is off). */
  public static void install(MethodHandle installed) {
    HANDLER.setTarget(installed != null ? installed : MethodHandles.empty(HANDLER_TYPE));
    // Threads running the previous target's interpreted code see the new one from now on.
    MutableCallSite.syncAll(new MutableCallSite[] {HANDLER});
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
    int[] inside = insideFlag();
    int outer = inside[0];
    inside[0] = 1;
    try {
      work.run();
    } finally {
      inside[0] = outer;
    }
  }

  /** Called by the inserted code; {@code name} and {@code value} only for an option set. */
  public static void on(int event, Object socket, Object name, Object value) {
    int[] inside = insideFlag();
    if (inside[0] != 0) {
      SILENCED_CALLS.increment();
      return;
    }
    inside[0] = 1;
    try {
      CALL_HANDLER.invokeExact(event, socket, name, value);
    } catch (Throwable t) {
      ERRORS.incrementAndGet();
    } finally {
      inside[0] = 0;
    }
  }

  /** This thread's flag, made at its first hook call (the only allocation here). */
  private static int[] insideFlag() {
    int[] inside = INSIDE.get();
    if (inside == null) {
      inside = new int[1];
      INSIDE.set(inside);
    }
    return inside;
  }
}
