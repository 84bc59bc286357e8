package io.teardownguard.model.semantics;

import static io.teardownguard.model.Syscall.Kind.CLOSE;
import static io.teardownguard.model.Syscall.Kind.SET_LINGER;
import static io.teardownguard.model.Syscall.Kind.SHUT_RD;
import static io.teardownguard.model.Syscall.Kind.SHUT_WR;
import static io.teardownguard.model.TcpState.CLOSE_WAIT;
import static io.teardownguard.model.TcpState.ESTABLISHED;
import static io.teardownguard.model.TcpState.FIN_WAIT1;
import static io.teardownguard.model.TcpState.LAST_ACK;
import static io.teardownguard.model.TcpState.LISTEN;
import static io.teardownguard.model.TcpState.SYN_RECV;
import static io.teardownguard.model.TcpState.SYN_SENT;
import static io.teardownguard.model.TcpState.TIME_WAIT;
import static io.teardownguard.model.semantics.Effect.ABORT_ON_CLOSE;
import static io.teardownguard.model.semantics.Effect.ABORT_ON_DATA;

import io.teardownguard.model.Linger;
import io.teardownguard.model.Syscall;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.WireSegment;
import io.teardownguard.model.rules.Citation;
import io.teardownguard.model.rules.Rule;
import java.util.List;
import java.util.Set;

/**
 * The kernel layer: what Linux does with each syscall, as rows tried in order (first match
 * wins). The order of the close rows is the order of the checks in {@code __tcp_close()}.
 */
public final class KernelLayer {
  private static final String TCP_C = "net/ipv4/tcp.c";

  static final List<KernelRow> ROWS = List.of(
      // close(2) -> inet_release -> tcp_close -> __tcp_close
      new KernelRow("close-listener", CLOSE, s -> s.state() == LISTEN,
          s -> Effect.to(s.orphaned(TcpState.CLOSE, 0, 0)).resetChildren(s.acceptQueue()),
          Citation.kernel("net/ipv4/inet_connection_sock.c", "inet_csk_listen_stop"),
          Rule.LISTENER_CLOSED_WITH_PENDING_CONNECTIONS),
      new KernelRow("close-already-closed", CLOSE, s -> s.state() == TcpState.CLOSE || s.state() == TIME_WAIT,
          // The receive queue is purged before the TCP_CLOSE check: dropped, no RST.
          s -> Effect.to(s.orphaned(s.state(), 0, 0)).discard(s.unread(), 0),
          Citation.kernel(TCP_C, "__tcp_close"), null),
      new KernelRow("close-unread-data", CLOSE, s -> s.unread() > 0,
          s -> Effect.to(s.orphaned(TcpState.CLOSE, 0, 0)).send(WireSegment.RST)
              .count(ABORT_ON_CLOSE, 1).discard(s.unread(), s.unsent()),
          Citation.kernel(TCP_C, "__tcp_close"), Rule.CLOSE_WITH_UNREAD_DATA),
      new KernelRow("close-zero-linger-reset", CLOSE, s -> Linger.isAbortive(s.linger()) && s.needsReset(),
          s -> Effect.to(s.orphaned(TcpState.CLOSE, 0, 0)).send(WireSegment.RST)
              .count(ABORT_ON_DATA, 1).discard(0, s.unsent()),
          Citation.kernel(TCP_C, "tcp_disconnect"), Rule.ABORTIVE_CLOSE),
      new KernelRow("close-zero-linger-quiet", CLOSE, s -> Linger.isAbortive(s.linger()),
          s -> Effect.to(s.orphaned(TcpState.CLOSE, 0, 0)).count(ABORT_ON_DATA, 1).discard(0, s.unsent()),
          Citation.kernel(TCP_C, "tcp_disconnect"), null),
      new KernelRow("close-fin", CLOSE, s -> s.state() == ESTABLISHED || s.state() == SYN_RECV,
          s -> lingerWait(s, Effect.to(s.orphaned(FIN_WAIT1, 0, s.unsent())).finAfter(s.unsent())),
          Citation.kernel(TCP_C, "tcp_close_state"), null),
      new KernelRow("close-fin-after-peer", CLOSE, s -> s.state() == CLOSE_WAIT,
          s -> lingerWait(s, Effect.to(s.orphaned(LAST_ACK, 0, s.unsent())).finAfter(s.unsent())),
          Citation.kernel(TCP_C, "tcp_close_state"), null),
      new KernelRow("close-connecting", CLOSE, s -> s.state() == SYN_SENT,
          s -> Effect.to(s.orphaned(TcpState.CLOSE, 0, 0)),
          Citation.kernel(TCP_C, "tcp_close_state"), null),
      new KernelRow("close-fin-already-sent", CLOSE, s -> true,
          s -> lingerWait(s, Effect.to(s.orphaned(s.state(), 0, s.unsent()))),
          Citation.kernel(TCP_C, "tcp_close_state"), null),
      // shutdown(2) -> inet_shutdown -> tcp_shutdown
      new KernelRow("shutdown-wr-fin", SHUT_WR, s -> s.state() == ESTABLISHED || s.state() == SYN_RECV,
          s -> Effect.to(s.shutWrite(FIN_WAIT1)).finAfter(s.unsent()),
          Citation.kernel(TCP_C, "tcp_shutdown"), null),
      new KernelRow("shutdown-wr-fin-after-peer", SHUT_WR, s -> s.state() == CLOSE_WAIT,
          s -> Effect.to(s.shutWrite(LAST_ACK)).finAfter(s.unsent()),
          Citation.kernel(TCP_C, "tcp_shutdown"), null),
      new KernelRow("shutdown-wr-connecting", SHUT_WR, s -> s.state() == SYN_SENT,
          s -> Effect.to(s.shutWrite(TcpState.CLOSE)),
          Citation.kernel(TCP_C, "tcp_shutdown"), null),
      new KernelRow("shutdown-wr-nothing", SHUT_WR, s -> true,
          s -> Effect.to(s.shutWrite(s.state())),
          Citation.kernel(TCP_C, "tcp_shutdown"), null),
      new KernelRow("shutdown-rd", SHUT_RD, s -> true,
          s -> Effect.to(s.shutRead()),
          Citation.kernel(TCP_C, "tcp_shutdown"), null),
      new KernelRow("set-linger", SET_LINGER, s -> true,
          s -> Effect.to(s),
          Citation.kernel("net/core/sock.c", "sock_setsockopt"), null));

  private static final Set<TcpState> RESET_ON_DATA_STATES = Set.of(FIN_WAIT1, TcpState.FIN_WAIT2);

  private KernelLayer() {}

  /** Applies one syscall; {@code CLOSE_AT_DEREGISTRATION} is a close that happens later. */
  static Step apply(KernelSocket socket, Syscall syscall) {
    Syscall.Kind kind = syscall.kind() == Syscall.Kind.CLOSE_AT_DEREGISTRATION ? CLOSE : syscall.kind();
    KernelSocket before = kind == SET_LINGER ? socket.withLinger(syscall.argument()) : socket;
    for (KernelRow row : ROWS) {
      if (row.syscall() == kind && row.when().test(before)) {
        return new Step(row, row.effect().apply(before));
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
    return ROWS.stream().map(KernelRow::id).toList();
  }

  private static Effect lingerWait(KernelSocket s, Effect effect) {
    // inet_release passes sk_lingertime as tcp_close's timeout; sk_stream_wait_close waits while a
    // FIN is outstanding, whatever O_NONBLOCK says.
    boolean waits = Linger.isBlocking(s.linger()) && effect.after().finOutstanding();
    return waits ? effect.blockUpTo(s.linger()) : effect;
  }

  /** One applied row. */
  record Step(KernelRow row, Effect effect) {}
}
