package io.teardownguard.agent.report;

import io.teardownguard.agent.observation.OutcomeClass;
import io.teardownguard.model.rules.Rule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Counts since start: teardowns by wire outcome, findings by rule and call site, active closes,
 * the agent's own errors, and report lines dropped.
 *
 * @param localTimeWait teardowns after which this side holds TIME_WAIT (the {@code teardown.time_wait} meter)
 * @param serverSideTimeWait those of connections accepted from this process's listeners
 * @param droppedEvents report lines not in the report
 * @param report the report file written, or null
 * @param reportProblem why the report is not complete, or null
 */
public record Totals(
    Map<OutcomeClass, Long> teardowns,
    List<Site> findings,
    long localTimeWait,
    long serverSideTimeWait,
    long agentErrors,
    long droppedEvents,
    Path report,
    String reportProblem) {

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
