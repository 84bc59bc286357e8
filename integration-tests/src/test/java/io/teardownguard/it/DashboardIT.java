package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * dashboards/teardown-guard.json asks only for metrics the agent exports: every name in every
 * PromQL expression must be a sample name in a real scrape of the agent's endpoint.
 */
@Timeout(120)
final class DashboardIT {
  @TempDir
  Path dir;

  @Test
  void metricNamesAreTheIdentifiersOutsideCallsLabelsRangesAndGroupings() {
    assertEquals(Set.of("teardown_closes_total"),
        Dashboard.metricNames("sum by (api, outcome) (rate(teardown_closes_total{outcome=~\"rst|fin_rst\"}[$__rate_interval]))"));
    assertEquals(Set.of("a_total", "b_bytes_total"),
        Dashboard.metricNames("sum(increase(a_total[5m])) / on (job) group_left b_bytes_total offset 1m"));
  }

  @Test
  void everyDashboardQueryUsesOnlyMetricNamesTheAgentExports() throws Exception {
    List<String> expressions = Dashboard.expressions();
    assertTrue(expressions.size() >= 5, "panels: findings, closes, bytes, TIME_WAIT, errors; got " + expressions);
    Set<String> exported;
    try (MetricsChild app = MetricsChild.start(25, dir, 1, false)) {
      exported = MetricsChild.sampleNames(app.scrapeOnceCounted(1));
    }
    Set<String> used = new TreeSet<>();
    for (String expression : expressions) {
      Set<String> names = Dashboard.metricNames(expression);
      assertFalse(names.isEmpty(), "no metric in " + expression);
      used.addAll(names);
    }
    Set<String> unknown = new TreeSet<>(used);
    unknown.removeAll(exported);
    assertEquals(Set.of(), unknown, "dashboard names not exported; the agent exports " + exported);
    assertEquals(Set.of("teardown_agent_errors_total", "teardown_closes_total", "teardown_discarded_bytes_total",
        "teardown_findings_total", "teardown_time_wait_total"), used, "a panel per meter");
  }
}
