package io.teardownguard.model;

/**
 * TCP states as the Linux kernel numbers them ({@code include/net/tcp_states.h}); the number is
 * the hexadecimal {@code st} column of {@code /proc/net/tcp}.
 */
public enum TcpState {
  ESTABLISHED(1),
  SYN_SENT(2),
  SYN_RECV(3),
  FIN_WAIT1(4),
  FIN_WAIT2(5),
  TIME_WAIT(6),
  /** Also the state of a socket that never connected, or whose connection was reset or fully closed. */
  CLOSE(7),
  CLOSE_WAIT(8),
  LAST_ACK(9),
  LISTEN(10),
  CLOSING(11),
  NEW_SYN_RECV(12);

  private final int kernelNumber;

  TcpState(int kernelNumber) {
    this.kernelNumber = kernelNumber;
  }

  public int kernelNumber() {
    return kernelNumber;
  }

  /**
   * Whether the peer's FIN has arrived by this state: CLOSE-WAIT, LAST-ACK, CLOSING and TIME-WAIT
   * are entered only on it (RFC 9293 section 3.3.2). The one definition the agent and the
   * conformance command use.
   */
  public boolean peerFinArrived() {
    return this == CLOSE_WAIT || this == LAST_ACK || this == CLOSING || this == TIME_WAIT;
  }

  /** The state with this kernel number; throws for a number the kernel does not use. */
  public static TcpState ofKernelNumber(int number) {
    for (TcpState state : values()) {
      if (state.kernelNumber == number) {
        return state;
      }
    }
    throw new IllegalArgumentException("no TCP state has kernel number " + number);
  }
}
