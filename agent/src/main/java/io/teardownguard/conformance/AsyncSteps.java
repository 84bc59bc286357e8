package io.teardownguard.conformance;

import io.teardownguard.conformance.endpoint.AsyncChannelEndpoint;
import io.teardownguard.conformance.scenario.ScenarioException;
import io.teardownguard.conformance.scenario.Step;
import java.util.Map;

/**
 * The local steps only asynchronous channels have: an operation left pending across the call
 * under test, and what it came to.
 *
 * <ul>
 *   <li>{@code read-pending N}: a read of up to N bytes with a completion handler, not waited for;
 *   <li>{@code accept-pending}: an accept with a completion handler, not waited for;
 *   <li>{@code pending-read} / {@code pending-accept}: the fact {@code local.pendingRead} /
 *       {@code local.pendingAccept}: the bytes read (-1 at end of stream), "accepted", the
 *       exception it failed with (e.g. AsynchronousCloseException), or "pending".
 * </ul>
 */
final class AsyncSteps {
  /** How long a pending operation may take to come to its end once the call made it end. */
  private static final long RESULT_MILLIS = 1_000;

  private AsyncSteps() {}

  static void run(Step step, Fixture fixture, Map<String, String> facts) {
    switch (step.verb()) {
      case "read-pending" -> endpoint(step, fixture).readPending(step.intArg(0));
      case "accept-pending" -> fixture.listener.async().acceptPending();
      case "pending-read" -> facts.put("local.pendingRead", endpoint(step, fixture).pendingReadResult(RESULT_MILLIS));
      case "pending-accept" -> facts.put("local.pendingAccept", fixture.listener.async().pendingAcceptResult(RESULT_MILLIS));
      default -> throw new ScenarioException("line " + step.line() + ": not an asynchronous step: " + step.verb());
    }
  }

  private static AsyncChannelEndpoint endpoint(Step step, Fixture fixture) {
    if (fixture.local instanceof AsyncChannelEndpoint async) {
      return async;
    }
    throw new ScenarioException("line " + step.line() + ": '" + step.verb() + "' needs api AsynchronousSocketChannel");
  }
}
