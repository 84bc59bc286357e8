package io.teardownguard.agent.core;

import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.KernelQueues;
import io.teardownguard.model.Linger;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;

/**
 * Builds the model's input from the JDK's view and the kernel's. Without a kernel view (not on
 * Linux, or probe=java) the TCP state is what Java knows: connected or not, queues empty.
 */
final class Snapshots {
  private Snapshots() {}

  /**
   * The snapshots with empty queues and SO_LINGER off (almost every teardown), made once each with
   * their answers and indexed by the few facts left: api, mode, state, connected, input shut,
   * output shut ({@link QuietVerdicts#facts}). The peer's FIN follows from the state, the JDK
   * release from the JVM. A teardown of these that reports something reads one slot here: no
   * snapshot made, no hash computed, no map searched; one that reports nothing does not come here.
   */
  private static final Answers[] PLAIN = new Answers[QuietVerdicts.FACTS];

  /**
   * The snapshot for these facts with the model's answers: from the table of plain ones, else
   * from {@code others}.
   */
  static Answers of(JavaApi api, ChannelMode mode, int jdkFeature, KernelView kernel, boolean connected,
      boolean inputShut, boolean outputShut, int lingerSeconds, OutcomeCache others) {
    TcpState state = stateOf(kernel, connected);
    if (!plain(state, kernel, lingerSeconds)) {
      long unsent = unsent(state, kernel);
      return others.answers(new SocketSnapshot(api, mode, jdkFeature, state, connected, unread(kernel), unsent,
          inputShut, outputShut, kernel != null && state.peerFinArrived(), lingerSeconds, 0,
          inFlight(state, kernel, unsent)));
    }
    int index = QuietVerdicts.facts(api, mode, state, connected, inputShut, outputShut);
    Answers plain = PLAIN[index];
    if (plain == null || plain.snapshot().jdkFeature() != jdkFeature) {
      // A race only makes two equal rows, either is right: their snapshots' fields are final.
      plain = new Answers(plainSnapshot(api, mode, jdkFeature, state, connected, inputShut, outputShut));
      PLAIN[index] = plain;
    }
    return plain;
  }

  /**
   * The model's verdict on {@code call} for these facts from the table built with the agent
   * ({@link QuietVerdicts}), for the plain facts that {@link #of} and {@link #listener} take from
   * their table; {@link QuietVerdicts#MODEL} for any other (and for a setSoLinger call, which
   * carries its value).
   */
  static int verdict(QuietVerdicts verdicts, JavaApi api, ChannelMode mode, KernelView kernel, boolean connected,
      boolean inputShut, boolean outputShut, int lingerSeconds, TeardownCall call) {
    if (call != TeardownCall.of(call.op())) {
      return QuietVerdicts.MODEL;
    }
    if (api.isListener()) {
      return kernel == null || kernel.acceptQueue() == 0
          ? verdicts.verdict(api, mode, TcpState.LISTEN, false, false, false, call.op()) : QuietVerdicts.MODEL;
    }
    TcpState state = stateOf(kernel, connected);
    return plain(state, kernel, lingerSeconds)
        ? verdicts.verdict(api, mode, state, connected, inputShut, outputShut, call.op()) : QuietVerdicts.MODEL;
  }

  /**
   * A plain snapshot: queues empty, SO_LINGER off. The peer's FIN follows from the state (the
   * Java-level view has only ESTABLISHED and CLOSE, neither after a FIN).
   */
  static SocketSnapshot plainSnapshot(JavaApi api, ChannelMode mode, int jdkFeature, TcpState state,
      boolean connected, boolean inputShut, boolean outputShut) {
    return new SocketSnapshot(api, mode, jdkFeature, state, connected, 0, 0, inputShut, outputShut,
        state.peerFinArrived(), Linger.OFF, 0);
  }

  private static TcpState stateOf(KernelView kernel, boolean connected) {
    return kernel == null ? (connected ? TcpState.ESTABLISHED : TcpState.CLOSE) : kernel.state();
  }

  private static boolean plain(TcpState state, KernelView kernel, int lingerSeconds) {
    if (lingerSeconds != Linger.OFF) {
      return false;
    }
    long unsent = unsent(state, kernel);
    return unread(kernel) == 0 && unsent == 0 && inFlight(state, kernel, unsent) == 0;
  }

  private static long unread(KernelView kernel) {
    return kernel == null ? 0 : kernel.unreadBytes();
  }

  private static long unsent(TcpState state, KernelView kernel) {
    return kernel == null ? 0 : KernelQueues.unsentPayload(state, kernel.heldByWindow());
  }

  /**
   * Payload sent or about to be sent that the peer's window does not hold back: it decides when the
   * state settles after a FIN, not what is sent. Unknown (0) where the quiet probe did not read the
   * bytes in flight.
   */
  private static long inFlight(TcpState state, KernelView kernel, long unsent) {
    if (kernel == null || kernel.unackedBytes() == KernelView.UNKNOWN) {
      return 0;
    }
    return Math.max(0, KernelQueues.unsentPayload(state, kernel.unackedBytes() + kernel.notSentBytes()) - unsent);
  }

  static Answers listener(JavaApi api, ChannelMode mode, int jdkFeature, KernelView kernel, OutcomeCache others) {
    return others.answers(SocketSnapshot.listener(api, mode, jdkFeature, kernel == null ? 0 : kernel.acceptQueue()));
  }
}
