package io.teardownguard.model;

/** Turns the kernel's queue counters into the payload bytes the model reasons about. */
public final class KernelQueues {
  /** An in-flight count or a window that was not read. */
  public static final long UNKNOWN = -1;

  private KernelQueues() {}

  /**
   * The bytes that wait for the peer's window: what a FIN queued now would wait behind, and what
   * a reset would discard unsent. tcp_send_fin() appends the FIN to the last skb not yet sent (or
   * sends a new one) and pushes with TCP_NAGLE_OFF; tcp_nagle_test() lets a FIN-bearing skb
   * through, so bytes held only by Nagle's rule leave with it; tcp_snd_wnd_test() stops it at
   * snd_una + snd_wnd. Without the in-flight count or the window, every unsent byte counts.
   *
   * @param notSent tcp_info's tcpi_notsent_bytes (write_seq - snd_nxt)
   * @param unacked snd_nxt - snd_una (SIOCOUTQ less notSent), or {@link #UNKNOWN}
   * @param sendWindow tcp_info's tcpi_snd_wnd, or {@link #UNKNOWN}
   */
  public static long heldByWindow(long notSent, long unacked, long sendWindow) {
    if (notSent == 0 || unacked == UNKNOWN || sendWindow == UNKNOWN) {
      return notSent;
    }
    return unacked + notSent > sendWindow ? notSent : 0;
  }

  /**
   * Unacknowledged payload from the send queue counter (SIOCOUTQ, /proc tx_queue: write_seq -
   * snd_una). Once our FIN is queued, tcp_send_fin() has advanced write_seq by one for it, and
   * it stays counted until acknowledged, that is in FIN_WAIT1, CLOSING and LAST_ACK: that one is
   * not payload.
   */
  public static long unsentPayload(TcpState state, long sendQueue) {
    boolean finCounted = state == TcpState.FIN_WAIT1 || state == TcpState.CLOSING || state == TcpState.LAST_ACK;
    return finCounted && sendQueue > 0 ? sendQueue - 1 : sendQueue;
  }
}
