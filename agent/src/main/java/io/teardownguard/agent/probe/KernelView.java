package io.teardownguard.agent.probe;

import io.teardownguard.model.KernelQueues;
import io.teardownguard.model.TcpState;

/**
 * The kernel's view of one TCP socket at the moment the application closes or shuts it down.
 *
 * @param state the socket's TCP state
 * @param unreadBytes bytes received and not yet read by the application, a received FIN not
 *     counted; 0 for a listener
 * @param notSentBytes bytes written and not yet sent (tcp_info's {@code tcpi_notsent_bytes},
 *     write_seq - snd_nxt; a FIN queued behind them counts as one); 0 for a listener. Only these
 *     can hold a FIN back, and only where the peer's window stops them ({@link #heldByWindow}).
 *     From /proc/net/tcp, which cannot tell them apart, every unacknowledged byte (tx_queue) is
 *     counted here
 * @param unackedBytes bytes sent and not yet acknowledged (snd_nxt - snd_una: SIOCOUTQ less the
 *     above; a sent FIN counts as one), or {@link #UNKNOWN} when the probe cannot tell
 * @param sendWindow the peer's advertised receive window (tcp_info's {@code tcpi_snd_wnd}), or
 *     {@link #UNKNOWN}
 * @param acceptQueue a listener's connections waiting for accept(); 0 for any other socket
 * @param lingerSeconds SO_LINGER's timeout when linger is on (0: close resets the connection), -1
 *     when linger is off or was not read
 */
public record KernelView(
    TcpState state, long unreadBytes, long notSentBytes, long unackedBytes, long sendWindow, int acceptQueue,
    int lingerSeconds) {

  /** {@link #unackedBytes()} or {@link #sendWindow()} when the probe cannot read it (/proc/net/tcp). */
  public static final long UNKNOWN = KernelQueues.UNKNOWN;

  /**
   * What the JDK knows without a system call once the application has read EOF on a socket whose
   * output is still open: the peer's FIN arrived after every byte it sent, all of them read.
   */
  public static final KernelView AFTER_EOF = new KernelView(TcpState.CLOSE_WAIT, 0, 0, UNKNOWN, UNKNOWN, 0, -1);

  /** The unsent bytes that hold a FIN back: {@link KernelQueues#heldByWindow}. */
  public long heldByWindow() {
    return KernelQueues.heldByWindow(notSentBytes, unackedBytes, sendWindow);
  }

  /** The same view with the connection's state as found elsewhere than through the descriptor. */
  public KernelView withState(TcpState listed) {
    return new KernelView(listed, unreadBytes, notSentBytes, unackedBytes, sendWindow, acceptQueue, lingerSeconds);
  }

  /** TcpState by kernel number; ofKernelNumber would copy values() and throw on a miss. */
  private static final TcpState[] BY_KERNEL_NUMBER = byKernelNumber();

  /**
   * The state the kernel numbers {@code kernelNumber}, or null for a number this model does not
   * know (a probe reports such a socket as unreadable rather than throwing into close()).
   */
  static TcpState stateOf(long kernelNumber) {
    return kernelNumber >= 0 && kernelNumber < BY_KERNEL_NUMBER.length
        ? BY_KERNEL_NUMBER[(int) kernelNumber]
        : null;
  }

  private static TcpState[] byKernelNumber() {
    int highest = 0;
    for (TcpState state : TcpState.values()) {
      highest = Math.max(highest, state.kernelNumber());
    }
    TcpState[] table = new TcpState[highest + 1];
    for (TcpState state : TcpState.values()) {
      table[state.kernelNumber()] = state;
    }
    return table;
  }
}
