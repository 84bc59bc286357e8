package io.teardownguard.agent.core;

import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.KernelQueues;
import io.teardownguard.model.Linger;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;

/**
 * Builds the model's input from the JDK's view and the kernel's. Without a kernel view (not on
 * Linux, or probe=java) the TCP state is what Java knows: connected or not, queues empty.
 */
final class Snapshots {
  private Snapshots() {}

  /**
   * The snapshots with empty queues and SO_LINGER off (almost every teardown), made once each with
   * their answers and indexed by the few facts left: api, mode, state, connected, input shut,
   * output shut. The peer's FIN follows from the state, the JDK release from the JVM. A close that
   * finds nothing reads one slot here: no snapshot made, no hash computed, no map searched.
   */
  private static final int STATES = TcpState.values().length;
  /** values() copies its array at each call: the count is read once. */
  private static final int MODES = ChannelMode.values().length;
  private static final Answers[] PLAIN = new Answers[JavaApi.values().length * MODES * STATES * 8];

  /**
   * The snapshot for these facts with the model's answers: from the table of plain ones, else
   * from {@code others}.
   */
  static Answers of(JavaApi api, ChannelMode mode, int jdkFeature, KernelView kernel, boolean connected,
      boolean inputShut, boolean outputShut, int lingerSeconds, OutcomeCache others) {
    TcpState state = kernel == null ? (connected ? TcpState.ESTABLISHED : TcpState.CLOSE) : kernel.state();
    long unread = kernel == null ? 0 : kernel.unreadBytes();
    long unsent = kernel == null ? 0 : KernelQueues.unsentPayload(state, kernel.heldByWindow());
    boolean peerFin = kernel != null && state.peerFinArrived();
    long inFlight = kernel == null ? 0 : inFlight(state, kernel, unsent);
    if (unread != 0 || unsent != 0 || inFlight != 0 || lingerSeconds != Linger.OFF) {
      return others.answers(new SocketSnapshot(api, mode, jdkFeature, state, connected, unread, unsent, inputShut,
          outputShut, peerFin, lingerSeconds, 0, inFlight));
    }
    int index = ((((api.ordinal() * MODES + mode.ordinal()) * STATES + state.ordinal()) * 2
        + (connected ? 1 : 0)) * 2 + (inputShut ? 1 : 0)) * 2 + (outputShut ? 1 : 0);
    Answers plain = PLAIN[index];
    if (plain == null || plain.snapshot().jdkFeature() != jdkFeature) {
      // The peer's FIN follows from the state (the Java-level view has only ESTABLISHED and CLOSE).
      // A race only makes two equal rows, either is right: their snapshots' fields are final.
      plain = new Answers(new SocketSnapshot(api, mode, jdkFeature, state, connected, 0, 0, inputShut, outputShut,
          peerFin, Linger.OFF, 0));
      PLAIN[index] = plain;
    }
    return plain;
  }

  /**
   * Payload sent or about to be sent that the peer's window does not hold back: it decides when the
   * state settles after a FIN, not what is sent. Unknown (0) where the quiet probe did not read the
   * bytes in flight.
   */
  private static long inFlight(TcpState state, KernelView kernel, long unsent) {
    if (kernel.unackedBytes() == KernelView.UNKNOWN) {
      return 0;
    }
    return Math.max(0, KernelQueues.unsentPayload(state, kernel.unackedBytes() + kernel.notSentBytes()) - unsent);
  }

  static Answers listener(JavaApi api, ChannelMode mode, int jdkFeature, KernelView kernel, OutcomeCache others) {
    return others.answers(SocketSnapshot.listener(api, mode, jdkFeature, kernel == null ? 0 : kernel.acceptQueue()));
  }
}
