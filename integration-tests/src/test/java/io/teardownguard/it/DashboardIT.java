package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * dashboards/teardown-guard.json asks only for metrics the agent exports: every name in every
 * PromQL expression must be a sample name in a real scrape of the agent's endpoint. Every panel
 * shows only the job and instance picked in its variables (PrometheusIT runs them in Prometheus).
 */
@Timeout(120)
final class DashboardIT {
  /** A selector of one of the agent's series, with its label matchers if any. */
  private static final Pattern SELECTOR = Pattern.compile("(teardown_[a-z_]+)(\\{[^}]*})?");

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

  @Test
  void jobAndInstanceVariablesOfferTheScrapedApplicationsOfTheAgentsSeries() throws Exception {
    List<Dashboard.Variable> variables = Dashboard.queryVariables();

    assertEquals(List.of("job", "instance"), variables.stream().map(Dashboard.Variable::name).toList());
    assertEquals("label_values(teardown_closes_total, job)", variables.get(0).query());
    assertEquals("label_values(teardown_closes_total{job=~\"$job\"}, instance)", variables.get(1).query(),
        "instances of the jobs picked");
    for (Dashboard.Variable variable : variables) {
      assertTrue(variable.multi() && variable.includeAll(), variable + ": several or all may be picked");
      assertEquals(".*", variable.allValue(), variable + ": All is every value, also those scraped later");
    }
  }

  @Test
  void everyPanelQuerySelectsOnlyThePickedJobsAndInstances() throws Exception {
    for (String expression : Dashboard.expressions()) {
      Matcher selector = SELECTOR.matcher(expression);
      assertTrue(selector.find(), expression);
      do {
        Set<String> matchers = selector.group(2) == null ? Set.of()
            : Set.copyOf(Arrays.stream(selector.group(2).replaceAll("[{}]", "").split(",")).map(String::strip).toList());
        assertTrue(matchers.containsAll(Set.of("job=~\"$job\"", "instance=~\"$instance\"")),
            selector.group() + " in " + expression + " adds up every scraped application");
      } while (selector.find());
    }
  }

  @Test
  void picksAreWrittenIntoQueriesAsGrafanaWritesThem() throws Exception {
    Dashboard.Variable instance = Dashboard.variable("instance");

    assertEquals("127\\\\.0\\\\.0\\\\.1:9464", Dashboard.interpolate(instance, List.of("127.0.0.1:9464")));
    assertEquals("(a:1|b:2)", Dashboard.interpolate(instance, List.of("a:1", "b:2")));
    assertEquals(".*", Dashboard.interpolate(instance, null));
  }
}
