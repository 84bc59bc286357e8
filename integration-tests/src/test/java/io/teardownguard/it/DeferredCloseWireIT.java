package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teardownguard.it.support.SelectorCloses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Closes of channels registered with a Selector, made by a worker thread, under tcpdump in a
 * private network namespace: every such connection is reported once, with the one FIN it sent,
 * whether the Selector released the socket, stopped, or was still selecting at exit; and
 * CLOSE_DEFERRED_BY_SELECTOR is reported only where no select would release it.
 */
final class DeferredCloseWireIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHANNEL = "java.nio.channels.SocketChannel";
  private static final String RULE = "CLOSE_DEFERRED_BY_SELECTOR";

  @TempDir
  Path dir;

  @ParameterizedTest(name = "JDK {0}, {1}")
  @CsvSource({
      "17, released, 20, false", "25, released, 20, false",
      "17, stopped, 20, true", "25, stopped, 20, true",
      "17, selecting, 5, false", "25, selecting, 5, false",
      "17, stale, 5, true", "25, stale, 5, true"})
  @Timeout(120)
  void everyDeferredCloseIsReportedOnceWithTheWireTcpdumpSaw(int feature, String mode, int count,
      boolean finding) throws Exception {
    assumeTrue(ChildJvm.runningAsRoot(), "needs root: tcpdump in a private network namespace");
    Path report = dir.resolve("report.jsonl");
    PrivateWire.Run run = PrivateWire.run(dir, 100, List.of(
        ChildJvm.jdk(feature).resolve("bin/java").toString(),
        "-javaagent:" + ChildJvm.AGENT_JAR + "=events=all,summary=stderr,report=" + report,
        "-cp", System.getProperty("tg.testClasses", "target/test-classes"),
        SelectorCloses.class.getName(), mode, String.valueOf(count)));
    assertEquals(0, run.exitCode(), run.stdout() + run.stderr());

    List<JsonNode> closes = new ArrayList<>();
    long findings = 0;
    for (String line : Files.readAllLines(report)) {
      JsonNode event = JSON.readTree(line);
      if (!event.get("api").asText().equals(CHANNEL) || !event.get("op").asText().equals("close")) {
        continue;
      }
      if (event.get("type").asText().equals("teardown")) {
        closes.add(event);
      } else if (event.get("rule").asText().equals(RULE)) {
        findings++;
      }
    }
    assertEquals(count, closes.size(), "one teardown line per connection:\n" + closes);
    List<String> mismatches = new ArrayList<>();
    for (JsonNode close : closes) {
      List<String> predicted = new ArrayList<>();
      close.get("predicted").get("wire").forEach(s -> predicted.add(s.asText()));
      List<String> seen = run.teardown(close.get("local").asText(), close.get("remote").asText());
      if (!predicted.equals(List.of("FIN")) || !seen.equals(List.of("FIN"))) {
        mismatches.add(close.get("remote").asText() + ": predicted " + predicted + ", tcpdump saw " + seen);
      }
    }
    assertEquals(List.of(), mismatches);
    // A finding line is written once per call site; the summary counts every occurrence.
    assertEquals(finding ? 1 : 0, findings, run.stderr());
    assertEquals(finding, run.stderr().contains(RULE), run.stderr());
  }
}
