package io.teardownguard.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class AgentOptionsTest {
  private final List<String> warnings = new ArrayList<>();

  private AgentOptions parse(String argument, Map<String, String> environment) {
    return AgentOptions.parse(argument, environment::get, warnings::add);
  }

  @Test
  void defaultsWhenNothingIsSet() {
    AgentOptions options = parse(null, Map.of());

    assertEquals("findings", options.get(Option.EVENTS));
    assertEquals("stderr", options.get(Option.SUMMARY));
    assertEquals("", options.get(Option.REPORT));
    assertEquals(List.of(), warnings);
  }

  @Test
  void theAgentArgumentWinsOverTheEnvironment() {
    AgentOptions options = parse("events=all,reportMaxBytes=8192",
        Map.of("TEARDOWN_GUARD_EVENTS", "findings", "TEARDOWN_GUARD_STACK_DEPTH", "8"));

    assertEquals("all", options.get(Option.EVENTS));
    assertEquals(8, options.number(Option.STACK_DEPTH));
    assertEquals(8192, options.number(Option.REPORT_MAX_BYTES));
  }

  @Test
  void eachProblemIsOneLineAndTheDefaultStays() {
    AgentOptions options = parse("events=some,stackDepth=0,colour=red,oops", Map.of("TEARDOWN_GUARD_PROBE", "magic"));

    assertEquals(List.of(
        "teardown-guard: TEARDOWN_GUARD_PROBE=magic is not valid; accepted: auto, native, proc, java; using auto",
        "teardown-guard: events=some is not valid; accepted: findings, all; using findings",
        "teardown-guard: stackDepth=0 is not valid; accepted: a whole number from 1 to 256; using 32",
        "teardown-guard: unknown agent option 'colour'; accepted: report, events, summary, reportMaxBytes, stackDepth,"
            + " timeWaitThreshold, probe, metrics, cache",
        "teardown-guard: agent option 'oops' is not key=value; ignored"), warnings);
    assertEquals("findings", options.get(Option.EVENTS));
    assertEquals(32, options.number(Option.STACK_DEPTH));
    assertEquals("auto", options.get(Option.PROBE));
  }

  @Test
  void aReportPathCutByACommaIsRefusedWholeInOneLineAndTheOtherOptionsStand() {
    AgentOptions options = parse("report=a,b.jsonl,events=all", Map.of());

    assertEquals(List.of("teardown-guard: report=a,b.jsonl is not valid: ',' separates agent options; accepted:"
        + " a file path (%p: the process id) without ','; using none"), warnings);
    assertEquals("", options.get(Option.REPORT), "no report rather than one written to 'a'");
    assertEquals("all", options.get(Option.EVENTS));
  }

  @Test
  void aWordAfterAnOptionThatIsNotAPathIsStillIgnoredOnItsOwn() {
    AgentOptions options = parse("events=all,oops", Map.of());

    assertEquals(List.of("teardown-guard: agent option 'oops' is not key=value; ignored"), warnings);
    assertEquals("all", options.get(Option.EVENTS));
  }

  @Test
  void keyColonValueIsTheFormJcmdPassesOnWholeAndAColonAfterEqualsStaysInTheValue() {
    AgentOptions colons = parse("report:/tmp/r.jsonl,summary:off,metrics:prometheus:[::1]:9464,events=all", Map.of());
    AgentOptions equals = parse("report=/tmp/a:b.jsonl,metrics=prometheus:9464", Map.of());

    assertEquals(List.of(), warnings);
    assertEquals("/tmp/r.jsonl", colons.get(Option.REPORT));
    assertEquals("off", colons.get(Option.SUMMARY));
    assertEquals(new PrometheusTarget("::1", 9464), colons.prometheus());
    assertEquals("all", colons.get(Option.EVENTS));
    assertEquals("/tmp/a:b.jsonl", equals.get(Option.REPORT));
    assertEquals(new PrometheusTarget("127.0.0.1", 9464), equals.prometheus());
  }

  /** What {@code jcmd PID JVMTI.agent_load JAR report=/tmp/r.jsonl} hands agentmain (JDK 17 and 25). */
  @Test
  void aKeyWithoutItsValueSaysHowToWriteItForJcmd() {
    AgentOptions options = parse("report", Map.of());

    assertEquals(List.of("teardown-guard: agent option 'report' has no value (jcmd JVMTI.agent_load keeps only what"
        + " precedes '=' in an unquoted argument: write report:VALUE); accepted: a file path (%p: the process id);"
        + " using none"), warnings);
    assertEquals("", options.get(Option.REPORT));
  }

  @Test
  void percentPInAPathIsTheProcessId() {
    AgentOptions options = parse("report=/tmp/tg-%p.jsonl,summary=/tmp/summary-%p.txt", Map.of());

    String pid = Long.toString(ProcessHandle.current().pid());
    assertEquals(Path.of("/tmp/tg-" + pid + ".jsonl"), options.path(Option.REPORT));
    assertEquals(Path.of("/tmp/summary-" + pid + ".txt"), options.path(Option.SUMMARY));
  }

  @Test
  void metricsIsOffByDefaultAndLoopbackUnlessAHostIsNamed() {
    assertNull(parse(null, Map.of()).prometheus());
    assertEquals(new PrometheusTarget("127.0.0.1", 9464), parse("metrics=prometheus:9464", Map.of()).prometheus());
    assertEquals(new PrometheusTarget("0.0.0.0", 9464), parse("metrics=prometheus:0.0.0.0:9464", Map.of()).prometheus());
    assertEquals(new PrometheusTarget("::1", 9464), parse("metrics=prometheus:[::1]:9464", Map.of()).prometheus());
    assertEquals(new PrometheusTarget("127.0.0.1", 9100),
        parse(null, Map.of("TEARDOWN_GUARD_METRICS", "prometheus:9100")).prometheus());
    assertEquals(List.of(), warnings);
  }

  @Test
  void badMetricsValueIsOneLineNamingBothForms() {
    for (String bad : List.of("prometheus", "prometheus:", "prometheus:0", "prometheus:65536", "prometheus::9464",
        "graphite:2003", "9464")) {
      assertNull(parse("metrics=" + bad, Map.of()).prometheus(), bad);
    }
    assertEquals("teardown-guard: metrics=9464 is not valid; accepted: prometheus:PORT, prometheus:HOST:PORT;"
        + " using none", warnings.get(warnings.size() - 1));
    assertEquals(7, warnings.size());
  }

  @Test
  void theCacheIsAutoByDefaultAndTakesOffOrAnAbsoluteDirectory() {
    assertEquals("auto", parse(null, Map.of()).get(Option.CACHE));
    assertEquals("off", parse("cache=off", Map.of()).get(Option.CACHE));
    assertEquals("/var/cache/tg", parse(null, Map.of("TEARDOWN_GUARD_CACHE", "/var/cache/tg")).get(Option.CACHE));
    assertEquals(List.of(), warnings);
  }

  @Test
  void aRelativeCacheDirectoryOrAnUnknownWordIsOneLineAndTheDefaultStays() {
    AgentOptions options = parse("cache=tmp/tg", Map.of("TEARDOWN_GUARD_CACHE", "no"));

    assertEquals(List.of(
        "teardown-guard: TEARDOWN_GUARD_CACHE=no is not valid; accepted: auto, off, or an absolute directory path;"
            + " using auto",
        "teardown-guard: cache=tmp/tg is not valid; accepted: auto, off, or an absolute directory path; using auto"),
        warnings);
    assertEquals("auto", options.get(Option.CACHE));
  }

  @Test
  void environmentVariableNamesFollowTheKeys() {
    assertEquals("TEARDOWN_GUARD_REPORT_MAX_BYTES", Option.REPORT_MAX_BYTES.environmentVariable());
    assertEquals("TEARDOWN_GUARD_TIME_WAIT_THRESHOLD", Option.TIME_WAIT_THRESHOLD.environmentVariable());
    assertEquals("TEARDOWN_GUARD_STACK_DEPTH", Option.STACK_DEPTH.environmentVariable());
    assertEquals("TEARDOWN_GUARD_REPORT", Option.REPORT.environmentVariable());
    assertEquals("TEARDOWN_GUARD_CACHE", Option.CACHE.environmentVariable());
  }
}
