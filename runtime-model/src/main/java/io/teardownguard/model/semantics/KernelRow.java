package io.teardownguard.model.semantics;

import static io.teardownguard.model.Syscall.Kind.CLOSE;
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

/**
 * The rows of the kernel layer: a syscall on a socket the row {@link #covers} does its
 * {@link #effect}. Tried in declaration order, first match wins; the order of the close rows is the
 * order of the checks in {@code __tcp_close()}. The sockets covered and the effects are switches
 * over the row rather than a lambda per row: each lambda costs a LambdaMetafactory spin the first
 * time the table is read, which the agent paid inside the application's first close (issue 14).
 */
enum KernelRow {
  // close(2) -> inet_release -> tcp_close -> __tcp_close
  CLOSE_LISTENER("close-listener", CLOSE,
      Citation.kernel("net/ipv4/inet_connection_sock.c", "inet_csk_listen_stop"),
      Rule.LISTENER_CLOSED_WITH_PENDING_CONNECTIONS),
  /** The receive queue is purged before the TCP_CLOSE check: dropped, no RST. */
  CLOSE_ALREADY_CLOSED("close-already-closed", CLOSE, Citation.kernel(KernelRow.TCP_C, "__tcp_close"), null),
  CLOSE_UNREAD_DATA("close-unread-data", CLOSE, Citation.kernel(KernelRow.TCP_C, "__tcp_close"),
      Rule.CLOSE_WITH_UNREAD_DATA),
  CLOSE_ZERO_LINGER_RESET("close-zero-linger-reset", CLOSE, Citation.kernel(KernelRow.TCP_C, "tcp_disconnect"),
      Rule.ABORTIVE_CLOSE),
  CLOSE_ZERO_LINGER_QUIET("close-zero-linger-quiet", CLOSE, Citation.kernel(KernelRow.TCP_C, "tcp_disconnect"), null),
  CLOSE_FIN("close-fin", CLOSE, Citation.kernel(KernelRow.TCP_C, "tcp_close_state"), null),
  CLOSE_FIN_AFTER_PEER("close-fin-after-peer", CLOSE, Citation.kernel(KernelRow.TCP_C, "tcp_close_state"), null),
  CLOSE_CONNECTING("close-connecting", CLOSE, Citation.kernel(KernelRow.TCP_C, "tcp_close_state"), null),
  CLOSE_FIN_ALREADY_SENT("close-fin-already-sent", CLOSE, Citation.kernel(KernelRow.TCP_C, "tcp_close_state"), null),
  // shutdown(2) -> inet_shutdown -> tcp_shutdown
  SHUTDOWN_WR_FIN("shutdown-wr-fin", SHUT_WR, Citation.kernel(KernelRow.TCP_C, "tcp_shutdown"), null),
  SHUTDOWN_WR_FIN_AFTER_PEER("shutdown-wr-fin-after-peer", SHUT_WR, Citation.kernel(KernelRow.TCP_C, "tcp_shutdown"),
      null),
  SHUTDOWN_WR_CONNECTING("shutdown-wr-connecting", SHUT_WR, Citation.kernel(KernelRow.TCP_C, "tcp_shutdown"), null),
  SHUTDOWN_WR_NOTHING("shutdown-wr-nothing", SHUT_WR, Citation.kernel(KernelRow.TCP_C, "tcp_shutdown"), null),
  SHUTDOWN_RD("shutdown-rd", SHUT_RD, Citation.kernel(KernelRow.TCP_C, "tcp_shutdown"), null),
  SET_LINGER("set-linger", Syscall.Kind.SET_LINGER, Citation.kernel("net/core/sock.c", "sock_setsockopt"), null);

  private static final String TCP_C = "net/ipv4/tcp.c";

  private final String id;
  private final Syscall.Kind syscall;
  private final Citation citation;
  private final Rule rule;

  /**
   * @param id a stable name, used by the docs and by the coverage check
   * @param syscall the syscall it covers
   * @param citation the kernel function (or RFC) that does it
   * @param rule the hazard it represents, or {@code null}
   */
  KernelRow(String id, Syscall.Kind syscall, Citation citation, Rule rule) {
    this.id = id;
    this.syscall = syscall;
    this.citation = citation;
    this.rule = rule;
  }

  String id() {
    return id;
  }

  Syscall.Kind syscall() {
    return syscall;
  }

  Citation citation() {
    return citation;
  }

  Rule rule() {
    return rule;
  }

  /** Whether this row covers {@code s} (its syscall aside). */
  boolean covers(KernelSocket s) {
    return switch (this) {
      case CLOSE_LISTENER -> s.state() == LISTEN;
      case CLOSE_ALREADY_CLOSED -> s.state() == TcpState.CLOSE || s.state() == TIME_WAIT;
      case CLOSE_UNREAD_DATA -> s.unread() > 0;
      case CLOSE_ZERO_LINGER_RESET -> Linger.isAbortive(s.linger()) && s.needsReset();
      case CLOSE_ZERO_LINGER_QUIET -> Linger.isAbortive(s.linger());
      case CLOSE_FIN, SHUTDOWN_WR_FIN -> s.state() == ESTABLISHED || s.state() == SYN_RECV;
      case CLOSE_FIN_AFTER_PEER, SHUTDOWN_WR_FIN_AFTER_PEER -> s.state() == CLOSE_WAIT;
      case CLOSE_CONNECTING, SHUTDOWN_WR_CONNECTING -> s.state() == SYN_SENT;
      case CLOSE_FIN_ALREADY_SENT, SHUTDOWN_WR_NOTHING, SHUTDOWN_RD, SET_LINGER -> true;
    };
  }

  /** What the syscall does to {@code s}. */
  Effect effect(KernelSocket s) {
    return switch (this) {
      case CLOSE_LISTENER -> Effect.to(s.orphaned(TcpState.CLOSE, 0, 0)).resetChildren(s.acceptQueue());
      case CLOSE_ALREADY_CLOSED -> Effect.to(s.orphaned(s.state(), 0, 0)).discard(s.unread(), 0);
      case CLOSE_UNREAD_DATA -> Effect.to(s.orphaned(TcpState.CLOSE, 0, 0)).send(WireSegment.RST)
          .count(ABORT_ON_CLOSE, 1).discard(s.unread(), s.unsent());
      case CLOSE_ZERO_LINGER_RESET -> Effect.to(s.orphaned(TcpState.CLOSE, 0, 0)).send(WireSegment.RST)
          .count(ABORT_ON_DATA, 1).discard(0, s.unsent());
      case CLOSE_ZERO_LINGER_QUIET -> Effect.to(s.orphaned(TcpState.CLOSE, 0, 0)).count(ABORT_ON_DATA, 1)
          .discard(0, s.unsent());
      case CLOSE_FIN -> lingerWait(s, Effect.to(s.orphaned(FIN_WAIT1, 0, s.unsent())).finAfter(s.unsent()));
      case CLOSE_FIN_AFTER_PEER -> lingerWait(s, Effect.to(s.orphaned(LAST_ACK, 0, s.unsent())).finAfter(s.unsent()));
      case CLOSE_CONNECTING -> Effect.to(s.orphaned(TcpState.CLOSE, 0, 0));
      case CLOSE_FIN_ALREADY_SENT -> lingerWait(s, Effect.to(s.orphaned(s.state(), 0, s.unsent())));
      case SHUTDOWN_WR_FIN -> Effect.to(s.shutWrite(FIN_WAIT1)).finAfter(s.unsent());
      case SHUTDOWN_WR_FIN_AFTER_PEER -> Effect.to(s.shutWrite(LAST_ACK)).finAfter(s.unsent());
      case SHUTDOWN_WR_CONNECTING -> Effect.to(s.shutWrite(TcpState.CLOSE));
      case SHUTDOWN_WR_NOTHING -> Effect.to(s.shutWrite(s.state()));
      case SHUTDOWN_RD -> Effect.to(s.shutRead());
      case SET_LINGER -> Effect.to(s);
    };
  }

  private static Effect lingerWait(KernelSocket s, Effect effect) {
    // inet_release passes sk_lingertime as tcp_close's timeout; sk_stream_wait_close waits while a
    // FIN is outstanding, whatever O_NONBLOCK says.
    boolean waits = Linger.isBlocking(s.linger()) && effect.after().finOutstanding();
    return waits ? effect.blockUpTo(s.linger()) : effect;
  }
}
