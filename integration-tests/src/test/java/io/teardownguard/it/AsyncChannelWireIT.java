package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Asynchronous channels ({@code AsynchronousSocketChannel}, {@code AsynchronousServerSocketChannel})
 * under the agent, in child JVMs on JDK 17 and 25, against tcpdump in a private network namespace:
 * the conformance suite's asynchronous scenarios agree with the kernel without and with the agent,
 * and with it the agent's {@code predicted.wire} for each call is what tcpdump saw; and a real
 * completion-handler server (the sample pair) is reported with the wire tcpdump saw.
 */
final class AsyncChannelWireIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SAMPLES_JAR =
      System.getProperty("tg.samplesJar", "../sample-apps/target/teardown-guard-samples.jar");
  private static final String SOCKET_API = "java.nio.channels.AsynchronousSocketChannel";
  private static final String SERVER_API = "java.nio.channels.AsynchronousServerSocketChannel";
  /** Every asynchronous scenario; the one Java refuses (SO_LINGER) has no teardown to report. */
  private static final List<String> SCENARIOS = List.of("async-drained-close", "async-unread-close",
      "async-unread-close-input-stream", "async-read-pending-close", "async-read-pending-partial-close",
      "async-shutdown-output", "async-shutdown-output-read-pending", "async-shutdown-input-then-read",
      "async-shutdown-input-read-pending", "async-shutdown-input-then-close", "async-client-closes-first",
      "async-peer-closed-first-close", "async-set-linger-call", "async-listener-close-pending",
      "async-listener-close-accept-pending", "async-listener-close-accept-pending-queued");
  private static final String REFUSED = "async-set-linger-call";

  @TempDir
  Path dir;

  @ParameterizedTest(name = "JDK {0}, agent {1}")
  @CsvSource({"17, false", "25, false", "17, true", "25, true"})
  @Timeout(300)
  void everyAsynchronousScenarioAgreesAndTheAgentPredictsWhatTcpdumpSaw(int feature, boolean agent) throws Exception {
    assumeTrue(ChildJvm.runningAsRoot(), "the wire oracle needs root (tcpdump in a private network namespace)");
    Path conformance = dir.resolve("conformance.json");
    Path report = dir.resolve("report.jsonl");
    List<String> args = new ArrayList<>(List.of("-jar", ChildJvm.AGENT_JAR.toString(), "conformance", "--json",
        conformance.toString()));
    SCENARIOS.forEach(name -> args.addAll(List.of("--scenario", name)));
    List<String> jvm = agent ? List.of("-javaagent:" + ChildJvm.AGENT_JAR + "=events=all,summary=off,report=" + report)
        : List.of();

    ChildJvm.Result run = ChildJvm.run(ChildJvm.jdk(feature), 240, jvm, args.toArray(String[]::new));

    assertEquals(0, run.exitCode(), () -> "asynchronous scenarios disagreed:\n" + run.stdout() + run.stderr());
    JsonNode scenarios = JSON.readTree(conformance.toFile()).get("scenarios");
    assertEquals(SCENARIOS.size(), scenarios.size(), run.stdout());
    List<JsonNode> teardowns = agent ? teardowns(report) : List.of();
    List<String> mismatches = new ArrayList<>();
    for (JsonNode scenario : scenarios) {
      String name = scenario.get("name").asText();
      assertTrue(scenario.get("agree").asBoolean(), scenario.toString());
      JsonNode observed = scenario.get("observed");
      assertTrue(observed.has("wire"), "no wire observed in " + name);
      if (!agent) {
        continue;
      }
      JsonNode event = AgentWireIT.eventOfCall(teardowns, scenario.get("predicted"));
      if (name.startsWith(REFUSED)) {
        assertEquals("threw UnsupportedOperationException", observed.get("expect.call").asText());
        assertEquals(null, event, "Java refused the call: nothing to report");
        continue;
      }
      if (event == null) {
        mismatches.add(name + ": the agent reported no teardown for the call");
        continue;
      }
      List<String> predicted = AgentWireIT.texts(event.get("predicted").get("wire"));
      List<String> wire = AgentWireIT.texts(observed.get("wire"));
      String api = name.startsWith("async-listener") ? SERVER_API : SOCKET_API;
      if (!predicted.equals(wire) || !api.equals(event.get("api").asText())) {
        mismatches.add(name + ": agent predicted " + predicted + " as " + event.get("api") + ", tcpdump saw " + wire);
      }
    }
    assertEquals(List.of(), mismatches);
  }

  /**
   * The sample pair's server: the unsafe one closes with the body unread (one close, RST), the safe
   * one shuts its output (FIN), drains, then closes (nothing more). The predicted wire of its
   * teardowns, in order, must be what tcpdump saw it send.
   */
  @ParameterizedTest(name = "JDK {0}, {1}")
  @CsvSource({"17, AsyncUploadUnsafe, close, RST", "25, AsyncUploadUnsafe, close, RST",
      "17, AsyncUploadSafe, shutdownOutput close, FIN", "25, AsyncUploadSafe, shutdownOutput close, FIN"})
  @Timeout(120)
  void aCompletionHandlerServersTeardownIsReportedWithTheWireTcpdumpSaw(int feature, String program, String ops,
      String segment) throws Exception {
    assumeTrue(ChildJvm.runningAsRoot(), "needs root: tcpdump in a private network namespace");
    Path report = dir.resolve("report.jsonl");

    PrivateWire.Run run = PrivateWire.run(dir, 100, List.of(ChildJvm.jdk(feature).resolve("bin/java").toString(),
        "-javaagent:" + ChildJvm.AGENT_JAR + "=events=all,summary=off,report=" + report, "-cp", SAMPLES_JAR,
        "io.teardownguard.samples.closewithunreaddata." + program));

    assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
    List<String> seenOps = new ArrayList<>();
    List<String> predicted = new ArrayList<>();
    JsonNode server = null;
    long findings = 0;
    for (String line : Files.readAllLines(report)) {
      JsonNode event = JSON.readTree(line);
      if (!event.get("api").asText().equals(SOCKET_API)) {
        continue;
      }
      if (event.get("type").asText().equals("teardown")) {
        seenOps.add(event.get("op").asText());
        predicted.addAll(AgentWireIT.texts(event.get("predicted").get("wire")));
        server = event;
      } else if (event.get("rule").asText().equals("CLOSE_WITH_UNREAD_DATA")) {
        findings++;
        assertTrue(event.get("site").asText().contains("AsyncUploadServer.rejectOversized("), event.toString());
      }
    }
    assertEquals(List.of(ops.split(" ")), seenOps, "the server connection's teardown calls");
    List<String> seen = run.teardown(server.get("local").asText(), server.get("remote").asText());
    assertEquals(List.of(segment), seen, "tcpdump, server to client");
    assertEquals(seen, predicted, "the agent's predicted wire");
    assertEquals(segment.equals("RST") ? 1 : 0, findings);
  }

  private static List<JsonNode> teardowns(Path report) throws Exception {
    List<JsonNode> teardowns = new ArrayList<>();
    for (String line : Files.readAllLines(report)) {
      JsonNode event = JSON.readTree(line);
      if (event.get("type").asText().equals("teardown")) {
        teardowns.add(event);
      }
    }
    return teardowns;
  }
}
