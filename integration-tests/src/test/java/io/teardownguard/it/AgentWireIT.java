package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent watches the conformance suite itself: for every scenario's call under test, the
 * agent's {@code predicted.wire} (read by its own probe at that moment) must be what tcpdump saw;
 * and with the agent attached every scenario must still agree, so the agent changed nothing on
 * the wire or in what the programs observed.
 */
final class AgentWireIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(600)
  void agentPredictsWhatTcpdumpSeesForEveryScenario(int feature) throws Exception {
    assumeTrue(ChildJvm.runningAsRoot(), "the wire oracle needs root (tcpdump in a private network namespace)");
    Path dir = Files.createDirectories(Path.of(System.getProperty("tg.reports", "target/conformance")));
    Path conformance = dir.resolve("agent-conformance-jdk" + feature + ".json");
    Path report = dir.resolve("agent-report-jdk" + feature + ".jsonl");

    ChildJvm.Result run = ChildJvm.run(ChildJvm.jdk(feature), 540,
        List.of("-javaagent:" + ChildJvm.AGENT_JAR + "=events=all,summary=off,report=" + report),
        "-jar", ChildJvm.AGENT_JAR.toString(), "conformance", "--json", conformance.toString());

    assertEquals(0, run.exitCode(), () -> "with the agent attached, scenarios disagreed:\n" + run.stdout() + run.stderr());
    List<JsonNode> teardowns = new ArrayList<>();
    for (String line : Files.readAllLines(report)) {
      JsonNode event = JSON.readTree(line);
      if (event.get("type").asText().equals("teardown")) {
        teardowns.add(event);
      }
    }
    List<String> mismatches = new ArrayList<>();
    int compared = 0;
    for (JsonNode scenario : JSON.readTree(conformance.toFile()).get("scenarios")) {
      JsonNode observed = scenario.get("observed");
      if (!observed.has("wire")) {
        continue;
      }
      compared++;
      List<String> wire = texts(observed.get("wire"));
      if (observed.has("wireAtDeregistration")) {
        wire.addAll(texts(observed.get("wireAtDeregistration")));
      }
      JsonNode event = eventOfCall(teardowns, scenario.get("predicted"));
      if (event == null) {
        // Java refused the call before the JDK's implementation ran: nothing happened, nothing to report.
        boolean refusedByJava = observed.path("expect.call").asText().startsWith("threw") && wire.isEmpty();
        if (!refusedByJava) {
          mismatches.add(scenario.get("name").asText() + ": the agent reported no teardown for the call");
        }
        continue;
      }
      List<String> predicted = texts(event.get("predicted").get("wire"));
      if (!predicted.equals(wire)) {
        mismatches.add(scenario.get("name").asText() + ": agent predicted " + predicted + ", tcpdump saw " + wire
            + " (kernel view " + event.get("kernel") + ")");
      }
    }
    System.out.println("JDK " + feature + ": agent's predicted.wire compared with tcpdump for " + compared + " scenarios");
    assertEquals(List.of(), mismatches);
  }

  /** The agent's teardown line for the scenario's call: same local address, made during the call. */
  static JsonNode eventOfCall(List<JsonNode> teardowns, JsonNode predicted) {
    String local = predicted.get("local").asText();
    String from = predicted.get("callStarted").asText();
    String to = predicted.get("callEnded").asText();
    for (JsonNode event : teardowns) {
      String time = event.get("time").asText();
      if (local.equals(event.get("local").asText()) && time.compareTo(from) >= 0 && time.compareTo(to) <= 0) {
        return event;
      }
    }
    return null;
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
