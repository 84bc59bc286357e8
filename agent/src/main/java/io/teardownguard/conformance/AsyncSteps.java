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
 *   <li>{@code write-pending N}: writes of N bytes with a completion handler until one stalls
 *       (the kernel's send buffer full), not waited for;
 *   <li>{@code pending-read} / {@code pending-accept} / {@code pending-write}: the fact
 *       {@code local.pendingRead} / {@code local.pendingAccept} / {@code local.pendingWrite}: the
 *       bytes read (-1 at end of stream) or written, "accepted", the exception it failed with
 *       (e.g. AsynchronousCloseException), or "pending".
 * </ul>
 *
 * <p>{@link #run} returns the bytes the kernel took from this side's writes, for the peer's count.
 */
final class AsyncSteps {
  /** How long a pending operation may take to come to its end once the call made it end. */
  private static final long RESULT_MILLIS = 1_000;

  private AsyncSteps() {}

  static long run(Step step, Fixture fixture, Map<String, String> facts) throws java.io.IOException {
    switch (step.verb()) {
      case "read-pending" -> endpoint(step, fixture).readPending(step.intArg(0));
      case "accept-pending" -> fixture.listener.async().acceptPending();
      case "write-pending" -> {
        return endpoint(step, fixture).writeUntilPending(step.intArg(0));
      }
      case "pending-read" -> facts.put("local.pendingRead", endpoint(step, fixture).pendingReadResult(RESULT_MILLIS));
      case "pending-accept" -> facts.put("local.pendingAccept", fixture.listener.async().pendingAcceptResult(RESULT_MILLIS));
      case "pending-write" -> {
        String result = endpoint(step, fixture).pendingWriteResult(RESULT_MILLIS);
        facts.put("local.pendingWrite", result);
        return result.chars().allMatch(Character::isDigit) ? Long.parseLong(result) : 0;
      }
      default -> throw new ScenarioException("line " + step.line() + ": not an asynchronous step: " + step.verb());
    }
    return 0;
  }

  private static AsyncChannelEndpoint endpoint(Step step, Fixture fixture) {
    if (fixture.local instanceof AsyncChannelEndpoint async) {
      return async;
    }
    throw new ScenarioException("line " + step.line() + ": '" + step.verb() + "' needs api AsynchronousSocketChannel");
  }
}
