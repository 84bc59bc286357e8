package io.teardownguard.model;

/** Turns the kernel's queue counters into the payload bytes the model reasons about. */
public final class KernelQueues {
  private KernelQueues() {}

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
