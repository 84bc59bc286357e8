package io.teardownguard.agent.report;

import io.teardownguard.model.rules.Rule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Counts since start: teardowns by wire outcome, findings by rule and call site, active closes,
 * the agent's own errors, and report lines dropped.
 */
public record Totals(
    Map<OutcomeClass, Long> teardowns,
    List<Site> findings,
    long localTimeWait,
    long agentErrors,
    long droppedEvents,
    Path report) {

  /** One rule at one call site. */
  public record Site(Rule rule, String site, long count) {}

  public long teardownCount() {
    long count = 0;
    for (long n : teardowns.values()) {
      count += n;
    }
    return count;
  }
}
