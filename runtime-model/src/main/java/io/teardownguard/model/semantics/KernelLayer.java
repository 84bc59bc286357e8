package io.teardownguard.model.semantics;

import static io.teardownguard.model.Syscall.Kind.CLOSE;
import static io.teardownguard.model.Syscall.Kind.SET_LINGER;
import static io.teardownguard.model.TcpState.FIN_WAIT1;

import io.teardownguard.model.Syscall;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.WireSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The kernel layer: what Linux does with each syscall, as rows ({@link KernelRow}) tried in order
 * (first match wins). The order of the close rows is the order of the checks in {@code __tcp_close()}.
 */
public final class KernelLayer {
  /** values() copies its array at each call: read once. */
  private static final KernelRow[] ROWS = KernelRow.values();

  private static final Set<TcpState> RESET_ON_DATA_STATES = Set.of(FIN_WAIT1, TcpState.FIN_WAIT2);

  private KernelLayer() {}

  /** Applies one syscall; {@code CLOSE_AT_DEREGISTRATION} is a close that happens later. */
  static Step apply(KernelSocket socket, Syscall syscall) {
    Syscall.Kind kind = syscall.kind() == Syscall.Kind.CLOSE_AT_DEREGISTRATION ? CLOSE : syscall.kind();
    KernelSocket before = kind == SET_LINGER ? socket.withLinger(syscall.argument()) : socket;
    for (KernelRow row : ROWS) {
      if (row.syscall() == kind && row.covers(before)) {
        return new Step(row, row.effect(before));
      }
    }
    throw new IllegalStateException("no kernel row for " + syscall + " on " + socket);
  }

  /**
   * What the socket sends when the peer's new data arrives later: RST in FIN_WAIT1/FIN_WAIT2 once
   * RCV_SHUTDOWN is set (tcp_rcv_state_process; for an orphan that became a time-wait socket,
   * tcp_timewait_state_process returns TCP_TW_RST), RFC 1122 4.2.2.13; and RST from a port with
   * no socket left.
   */
  static List<WireSegment> onLaterPeerData(KernelSocket settled, boolean peerWasReset) {
    if (settled.peerFin() || peerWasReset) {
      return List.of(); // the peer sent its FIN, or holds our RST: it sends no more data
    }
    boolean shutInFinWait = settled.rcvShutdown() && RESET_ON_DATA_STATES.contains(settled.state());
    // Nothing left for the 4-tuple (or a closed listener's port): tcp_v4_rcv finds no socket and
    // tcp_v4_send_reset answers.
    boolean gone = settled.orphan() && settled.state() == TcpState.CLOSE;
    return shutInFinWait || gone ? List.of(WireSegment.RST) : List.of();
  }

  /** The rows, for documentation and the coverage check. */
  public static List<String> rowIds() {
    List<String> ids = new ArrayList<>(ROWS.length);
    for (KernelRow row : ROWS) {
      ids.add(row.id());
    }
    return ids;
  }

  /** One applied row. */
  record Step(KernelRow row, Effect effect) {}
}
