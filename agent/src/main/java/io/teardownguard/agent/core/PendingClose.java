package io.teardownguard.agent.core;

import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TeardownCall;
import java.net.SocketAddress;

/**
 * A close read and predicted at its entry and reported, waiting on its thread for the JDK's close to return
 * ({@link io.teardownguard.agent.instrumentation.HookEvent#CLOSE_RETURN}), so that the record and
 * the stack walk come after the close(2) rather than between the kernel reading and it. One per
 * thread, reused; a close that reports nothing is counted at its entry and never held here.
 */
final class PendingClose {
  SocketView view;
  Object socket;
  TeardownCall call;
  SocketSnapshot snapshot;
  KernelView kernel;
  Outcome outcome;
  /** Read at entry, and only for a close that will be reported: after close(2) getsockname fails. */
  SocketAddress local;
  boolean serverSide;
  /** Counted at entry: a close that reports nothing but its sampled {@code SERVER_SIDE_TIME_WAIT}. */
  boolean counted;

  void hold(SocketView view, Object socket, TeardownCall call, SocketSnapshot snapshot, KernelView kernel,
      Outcome outcome, SocketAddress local, boolean serverSide, boolean counted) {
    this.view = view;
    this.socket = socket;
    this.call = call;
    this.snapshot = snapshot;
    this.kernel = kernel;
    this.outcome = outcome;
    this.local = local;
    this.serverSide = serverSide;
    this.counted = counted;
  }

  /** Forgets the close (no reference to the socket is kept past its call). */
  void clear() {
    hold(null, null, null, null, null, null, null, false, false);
  }
}
