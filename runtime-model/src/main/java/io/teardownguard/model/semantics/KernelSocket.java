package io.teardownguard.model.semantics;

import io.teardownguard.model.Linger;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;

/**
 * The kernel's side of one socket as the kernel layer steps it through syscalls.
 *
 * @param state TCP state
 * @param unread bytes in the receive queue
 * @param unsent bytes in the write queue not yet acknowledged
 * @param rcvShutdown RCV_SHUTDOWN is set in sk_shutdown
 * @param sndShutdown SEND_SHUTDOWN is set (our FIN is queued or sent)
 * @param orphan the last file reference is gone (tcp_close ran)
 * @param linger SO_LINGER ({@link Linger#OFF} when off)
 * @param acceptQueue for a listener, the accept-queue length
 * @param peerFin the peer's FIN has arrived
 * @param inFlight bytes on their way that the peer's window does not hold back (a link's): our
 *     FIN is acknowledged only after them
 */
record KernelSocket(
    TcpState state,
    long unread,
    long unsent,
    boolean rcvShutdown,
    boolean sndShutdown,
    boolean orphan,
    int linger,
    int acceptQueue,
    boolean peerFin,
    long inFlight) {

  static KernelSocket of(SocketSnapshot s) {
    return new KernelSocket(s.state(), s.unreadBytes(), s.unsentBytes(), s.inputShut(),
        s.outputShut(), false, s.lingerSeconds(), s.acceptQueue(), s.peerOutputShut(), s.inFlightBytes());
  }

  KernelSocket withState(TcpState newState) {
    return new KernelSocket(newState, unread, unsent, rcvShutdown, sndShutdown, orphan, linger,
        acceptQueue, peerFin, inFlight);
  }

  KernelSocket shutRead() {
    return new KernelSocket(state, unread, unsent, true, sndShutdown, orphan, linger, acceptQueue,
        peerFin, inFlight);
  }

  KernelSocket shutWrite(TcpState newState) {
    return new KernelSocket(newState, unread, unsent, rcvShutdown, true, orphan, linger,
        acceptQueue, peerFin, inFlight);
  }

  KernelSocket withLinger(int seconds) {
    return new KernelSocket(state, unread, unsent, rcvShutdown, sndShutdown, orphan, seconds,
        acceptQueue, peerFin, inFlight);
  }

  /** After tcp_close: sk_shutdown = SHUTDOWN_MASK, no file, queues as the row left them. */
  KernelSocket orphaned(TcpState newState, long unreadLeft, long unsentLeft) {
    return new KernelSocket(newState, unreadLeft, unsentLeft, true, true, true, linger, 0, peerFin, inFlight);
  }

  /** Once the link has delivered what was in flight (and the peer acknowledged it). */
  KernelSocket drained() {
    return new KernelSocket(state, unread, unsent, rcvShutdown, sndShutdown, orphan, linger, acceptQueue, peerFin, 0);
  }

  /**
   * The state once the peer's kernel has answered: a FIN with nothing before it is acknowledged
   * at once on loopback (tcp_rcv_state_process: FIN_WAIT1 -> FIN_WAIT2, LAST_ACK -> CLOSE). With
   * data the peer's window holds back queued before the FIN, the state stays until the peer reads;
   * with data in flight on a link, until the link has delivered it ({@link #drained()}).
   */
  TcpState settledState() {
    if (unsent > 0 || inFlight > 0) {
      return state;
    }
    return switch (state) {
      case FIN_WAIT1 -> TcpState.FIN_WAIT2;
      case LAST_ACK -> TcpState.CLOSE;
      case CLOSING -> TcpState.TIME_WAIT;
      default -> state;
    };
  }

  /** tcp_need_reset() in include/net/tcp.h: the states in which tcp_disconnect sends RST. */
  boolean needsReset() {
    return switch (state) {
      case ESTABLISHED, CLOSE_WAIT, FIN_WAIT1, FIN_WAIT2, SYN_RECV -> true;
      default -> false;
    };
  }

  /** A FIN of ours is outstanding: sk_stream_wait_close() waits in these states (closing()). */
  boolean finOutstanding() {
    return state == TcpState.FIN_WAIT1 || state == TcpState.CLOSING || state == TcpState.LAST_ACK;
  }
}
