package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teardownguard.it.support.UnsafeCloseApp;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent's options and report contract, as a user meets them in a child JVM. */
@Timeout(120)
final class AgentOptionsIT {
  private static final String APP = UnsafeCloseApp.class.getName();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private ChildJvm.Result runApp(int jdk, String agentOptions, Map<String, String> env, String... appArgs) throws Exception {
    List<String> jvm = List.of("-javaagent:" + ChildJvm.AGENT_JAR + (agentOptions.isEmpty() ? "" : "=" + agentOptions),
        "-cp", System.getProperty("tg.testClasses", "target/test-classes"));
    String[] args = new String[appArgs.length + 1];
    args[0] = APP;
    System.arraycopy(appArgs, 0, args, 1, appArgs.length);
    return ChildJvm.run(ChildJvm.jdk(jdk), 60, jvm, env, args);
  }

  @Test
  void badValueIsOneLineNamingTheAcceptedValuesAndTheApplicationRunsOnWithTheDefault() throws Exception {
    ChildJvm.Result run = runApp(17, "events=everything", Map.of());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("done\n", run.stdout());
    List<String> lines = run.stderr().lines().toList();
    assertEquals("teardown-guard: events=everything is not valid; accepted: findings, all; using findings", lines.get(0));
    assertTrue(lines.stream().anyMatch(l -> l.contains("CLOSE_WITH_UNREAD_DATA")), run.stderr());
  }

  @Test
  void unknownOptionIsNamedWithTheAcceptedOnes() throws Exception {
    ChildJvm.Result run = runApp(25, "reprot=x.jsonl", Map.of());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("teardown-guard: unknown agent option 'reprot'; accepted: report, events, summary, reportMaxBytes,"
        + " stackDepth, timeWaitThreshold, probe, metrics, cache", run.stderr().lines().findFirst().orElseThrow());
  }

  @Test
  void badMetricsValueIsOneLineNamingBothFormsAndTheApplicationRunsOn() throws Exception {
    ChildJvm.Result run = runApp(25, "metrics=prometheus:http,summary=off", Map.of());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("done\n", run.stdout());
    assertEquals("teardown-guard: metrics=prometheus:http is not valid; accepted: prometheus:PORT, prometheus:HOST:PORT;"
        + " using none\n", run.stderr());
  }

  @Test
  void metricsPortInUseIsOneLineAndTheApplicationRunsOn() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Path hold = dir.resolve("hold");
      Path out = dir.resolve("out");
      Path err = dir.resolve("err");
      Process app = ChildJvm.start(ChildJvm.jdk(17),
          List.of("-javaagent:" + ChildJvm.AGENT_JAR + "=summary=off,metrics=prometheus:" + taken.getLocalPort(),
              "-cp", System.getProperty("tg.testClasses", "target/test-classes")),
          out, err, APP, "--hold", hold.toString());
      // The endpoint starts on the agent's warm-up thread: wait (bounded) for its line.
      for (int i = 0; i < 200 && Files.readString(err).isEmpty(); i++) {
        Thread.sleep(50);
      }
      Files.createFile(hold);

      assertEquals(0, ChildJvm.stop(app, 30), Files.readString(err));
      assertEquals("holding\ndone\n", Files.readString(out));
      assertEquals(List.of("teardown-guard: metrics: cannot listen on 127.0.0.1:" + taken.getLocalPort()
          + " (Address already in use); no Prometheus endpoint, the application runs on"),
          Files.readAllLines(err));
    }
  }

  @Test
  void reportIsOwnerOnlyJsonLinesWithTheContractsFields() throws Exception {
    Path report = dir.resolve("r.jsonl");

    ChildJvm.Result run = runApp(25, "report=" + report + ",events=all,summary=off", Map.of());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.stderr());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(report)));
    List<JsonNode> lines = Files.readAllLines(report).stream().map(AgentOptionsIT::parse).toList();
    JsonNode finding = lines.stream().filter(l -> l.get("type").asText().equals("finding")).findFirst().orElseThrow();
    for (String field : List.of("type", "op", "api", "local", "remote", "time", "thread", "kernel", "predicted",
        "rule", "severity", "message", "site", "stack")) {
      assertTrue(finding.has(field), "finding line lacks " + field + ": " + finding);
    }
    assertEquals("CLOSE_WITH_UNREAD_DATA", finding.get("rule").asText());
    assertEquals("close", finding.get("op").asText());
    assertEquals("java.net.Socket", finding.get("api").asText());
    assertTrue(finding.get("site").asText().startsWith(APP + ".rejectRequest(UnsafeCloseApp.java:"), finding.toString());
    assertEquals(64, finding.get("kernel").get("unreadBytes").asInt());
    assertEquals("[\"FIN\",\"RST\"]", finding.get("predicted").get("wire").toString());
    assertTrue(lines.stream().anyMatch(l -> l.get("type").asText().equals("teardown")), "events=all writes teardown lines");
  }

  @Test
  void findingsAreDeduplicatedPerSiteAndCountedInTheSummary() throws Exception {
    Path report = dir.resolve("r.jsonl");
    Path summary = dir.resolve("summary.txt");

    ChildJvm.Result run = runApp(17, "report=" + report + ",summary=" + summary, Map.of(), "--count", "20");

    assertEquals(0, run.exitCode(), run.stderr());
    long findingLines = Files.readAllLines(report).stream().filter(l -> l.contains("\"type\":\"finding\"")).count();
    assertEquals(1, findingLines, "one line per rule and call site");
    String text = Files.readString(summary);
    assertTrue(text.contains("CLOSE_WITH_UNREAD_DATA") && text.contains("x20"), text);
    assertTrue(text.contains("internal errors 0"), text);
  }

  @Test
  void environmentSetsOptionsAndTheAgentArgumentWins() throws Exception {
    Path fromEnv = dir.resolve("env.jsonl");
    Path fromArg = dir.resolve("arg.jsonl");

    runApp(17, "summary=off", Map.of("TEARDOWN_GUARD_REPORT", fromEnv.toString()));
    runApp(17, "summary=off,report=" + fromArg, Map.of("TEARDOWN_GUARD_REPORT", fromEnv.resolveSibling("unused.jsonl").toString()));

    assertTrue(Files.exists(fromEnv), "TEARDOWN_GUARD_REPORT");
    assertTrue(Files.exists(fromArg), "report= wins over the environment");
    assertTrue(Files.notExists(fromEnv.resolveSibling("unused.jsonl")));
  }

  @Test
  void reportSizeIsCappedAndTheRestCountedAsDropped() throws Exception {
    Path report = dir.resolve("r.jsonl");
    Path summary = dir.resolve("summary.txt");

    runApp(25, "report=" + report + ",events=all,reportMaxBytes=4096,summary=" + summary, Map.of(), "--count", "40");

    assertTrue(Files.size(report) <= 4096, "report is " + Files.size(report) + " bytes");
    assertTrue(Files.readString(summary).matches("(?s).*report lines dropped [1-9].*"), Files.readString(summary));
  }

  @Test
  void withoutKernelProbesTheJavaLevelStateStillCatchesAnAbortiveClose() throws Exception {
    Path report = dir.resolve("r.jsonl");

    ChildJvm.Result run = runApp(17, "probe=java,summary=off,report=" + report, Map.of(), "--linger0");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(Files.readString(report).contains("\"rule\":\"ABORTIVE_CLOSE\""), Files.readString(report));
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
