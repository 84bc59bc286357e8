package io.teardownguard.agent.bootstrap;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one entry point the code inserted into the JDK's socket classes calls. The agent never
 * loads this class as it is: it copies its bytes into java.base as {@code sun.nio.ch.TeardownGuardHooks},
 * next to NioSocketImpl and SocketChannelImpl, so the JDK's classes can call it without a read
 * edge and without appending to the bootstrap class path (which makes HotSpot print a CDS
 * warning on the application's stdout). Hence JDK types and {@link HookHandler} only, and no
 * reference to the rest of the agent.
 *
 * <p>{@link #on} returns normally whatever happens: an error in the agent is counted, never thrown
 * into the application. A per-thread flag keeps the agent's own socket work (and anything the
 * handler itself tears down) from re-entering.
 *
 * <p>The handler is a plain interface call: the JIT inlines the one implementation the type
 * profile of the call site shows into the hooked method. A MutableCallSite did the same in
 * compiled code, but linking it and its invokers spun LambdaForm classes in every JVM's start-up
 * (issue 14, docs/performance.md).
 */
public final class TeardownHooks {
  /** Nothing until installed, and again once the agent is off. */
  private static volatile HookHandler handler;
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
  public static void install(HookHandler installed) {
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
    HookHandler installed = handler;
    if (installed == null) {
      return;
    }
    inside[0] = 1;
    try {
      installed.on(event, socket, name, value);
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
