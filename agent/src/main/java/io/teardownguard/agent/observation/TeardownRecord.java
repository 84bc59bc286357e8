package io.teardownguard.agent.observation;

import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.model.Condition;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TeardownCall;
import java.net.SocketAddress;
import java.time.Instant;

/**
 * One teardown call as the agent saw it: what the probe read, what the model predicts, and (on
 * demand, it walks the stack) where the application made it.
 *
 * @param call the call
 * @param snapshot what the model was given
 * @param kernel what the probe read, or null when no probe ran
 * @param outcome the model's prediction
 * @param local local address, or null when not known
 * @param remote remote address, or null
 * @param time when the call was made
 * @param thread the calling thread's name
 * @param callSite the call site, walked on first use (the site alone for a repeated finding)
 * @param serverSide the connection was accepted from one of this process's listeners
 * @param decidedAt when the facts the prediction rests on were read
 */
public record TeardownRecord(
    TeardownCall call,
    SocketSnapshot snapshot,
    KernelView kernel,
    Outcome outcome,
    SocketAddress local,
    SocketAddress remote,
    Instant time,
    String thread,
    CallSiteSource callSite,
    boolean serverSide,
    DecidedAt decidedAt) {

  /** A teardown predicted from what was read in the call itself. */
  public TeardownRecord(TeardownCall call, SocketSnapshot snapshot, KernelView kernel, Outcome outcome,
      SocketAddress local, SocketAddress remote, Instant time, String thread, CallSiteSource callSite,
      boolean serverSide) {
    this(call, snapshot, kernel, outcome, local, remote, time, thread, callSite, serverSide, DecidedAt.CALL);
  }

  /** The same teardown with the prediction completed later (a deferred close's release, exit). */
  public TeardownRecord decided(Outcome completed, DecidedAt when) {
    return new TeardownRecord(call, snapshot, kernel, completed, local, remote, time, thread, callSite, serverSide,
        when);
  }

  /**
   * Whether the prediction was made once the deciding facts were known: false when the close(2)
   * came after the read by more than the call itself (a deferred close not read again at its
   * release, closed at exit, or queued to io_uring), or when the peer's FIN arriving before
   * close(2) decides between RST and silence ({@link Condition#PEER_FIN_BEFORE_CLOSE}), or when a
   * TLS close sent its close_notify while the peer's FIN was not in
   * ({@link Condition#PEER_ANSWERS_CLOSE_NOTIFY}), or when a closed peer's RST answering bytes in
   * flight can beat our FIN ({@link Condition#PEER_RESET_BEFORE_FIN}).
   */
  public boolean certain() {
    boolean deferred = outcome.conditions().contains(Condition.SELECTOR_SELECTS);
    return !(deferred && decidedAt != DecidedAt.RELEASE) && decidedAt != DecidedAt.EXIT
        && decidedAt != DecidedAt.QUEUED && !outcome.conditions().contains(Condition.PEER_FIN_BEFORE_CLOSE)
        && !outcome.conditions().contains(Condition.PEER_ANSWERS_CLOSE_NOTIFY)
        && !outcome.conditions().contains(Condition.PEER_RESET_BEFORE_FIN);
  }

  /** The report's op: close, shutdownInput, shutdownOutput, setSoLinger, listenerClose. */
  public String op() {
    return call.reportName(snapshot);
  }
}
