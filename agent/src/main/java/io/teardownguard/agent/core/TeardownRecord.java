package io.teardownguard.agent.core;

import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TeardownCall;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.function.Supplier;

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
 * @param callSite the call site, walked on first use
 * @param serverSide the connection was accepted from one of this process's listeners
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
    Supplier<CallSite> callSite,
    boolean serverSide) {

  /** The report's op: close, shutdownInput, shutdownOutput, setSoLinger, listenerClose. */
  public String op() {
    return call.reportName(snapshot);
  }
}
