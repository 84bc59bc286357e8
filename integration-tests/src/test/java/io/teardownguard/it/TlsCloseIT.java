package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teardownguard.it.support.TlsCloses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real TLS server and client (the JDK's SSLServerSocket and SSLSocket, a certificate made at test
 * time) under the agent and tcpdump, in a private network namespace ({@link TlsCloses}): the
 * silent discard of the case is reported at the server's close() line with the bytes it
 * threw away; clean TLS closes report nothing; and for each endpoint, the FIN and RST segments the
 * agent predicted are those the kernel sent, or, where a prediction names the race of a closed
 * peer's RST with our FIN ({@code PEER_RESET_BEFORE_FIN}), or where the peer reset in the race its
 * own prediction named, those without that FIN. Needs root (tcpdump, unshare); skipped otherwise.
 */
final class TlsCloseIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PORTS = Pattern.compile("client port (\\d+) server port (\\d+)");
  private static final String LOOPBACK = "127.0.0.1:";

  @TempDir
  Path dir;

  @ParameterizedTest(name = "JDK {0}, {1}, {2}")
  @CsvSource({
      "17, TLSv1.3, discard", "17, TLSv1.2, discard", "25, TLSv1.3, discard", "25, TLSv1.2, discard",
      "17, TLSv1.3, drained", "17, TLSv1.2, drained", "25, TLSv1.3, drained", "25, TLSv1.2, drained",
      "17, TLSv1.3, client-first", "17, TLSv1.2, client-first", "25, TLSv1.3, client-first",
      "25, TLSv1.2, client-first"})
  @Timeout(180)
  void theAgentNamesTheSilentDiscardAndPredictsEachEndpointsWire(int feature, String protocol, String shape)
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(ChildJvm.runningAsRoot(),
        "needs root: tcpdump on lo in a private network namespace (unshare -n)");
    Path report = dir.resolve("report.jsonl");
    PrivateWire.Run run = PrivateWire.run(dir, 150, List.of(ChildJvm.jdk(feature).resolve("bin/java").toString(),
        "-javaagent:" + ChildJvm.AGENT_JAR.toAbsolutePath() + "=events=all,summary=off,report=" + report,
        "-cp", Path.of(System.getProperty("tg.testClasses", "target/test-classes")).toAbsolutePath().toString(),
        TlsCloses.class.getName(), protocol, shape));
    assertEquals(0, run.exitCode(), () -> run.stdout() + run.stderr());
    assertTrue(run.stdout().contains("done"), run::stdout);
    Matcher ports = PORTS.matcher(run.stdout());
    assertTrue(ports.find(), run::stdout);
    String client = LOOPBACK + ports.group(1);
    String server = LOOPBACK + ports.group(2);
    List<JsonNode> lines = report(report);

    List<JsonNode> findings = lines.stream().filter(l -> l.get("type").asText().equals("finding")).toList();
    if (shape.equals("discard")) {
      assertEquals(1, findings.size(), findings::toString);
      JsonNode finding = findings.get(0);
      assertEquals("TLS_CLOSE_DISCARDS_DATA", finding.get("rule").asText());
      assertEquals("javax.net.ssl.SSLSocket", finding.get("api").asText());
      assertTrue(finding.get("site").asText().startsWith(TlsCloses.class.getName() + ".closeAfterFirstMessage("),
          finding::toString);
      assertTrue(finding.get("predicted").get("discardedReceiveBytes").asLong() > 5_000, finding::toString);
      // Made while the client's FIN was not in: the client's answer races the close(2) beneath.
      assertEquals("tls-close", finding.get("predicted").get("decidedAt").asText(), finding::toString);
      assertEquals(false, finding.get("predicted").get("certain").asBoolean(), finding::toString);
      // The loss is silent: the client is told nothing but the end of the stream.
      assertTrue(run.stdout().contains("discard client read after the server's close: -1"), run::stdout);
    } else {
      assertEquals(List.of(), findings, "a clean TLS close is no finding");
    }


    for (String[] ends : new String[][] {{server, client}, {client, server}}) {
      List<JsonNode> teardowns = teardowns(lines, ends[0]);
      List<String> predicted = new ArrayList<>();
      List<String> ifResetFirst = new ArrayList<>();
      boolean laterDataReset = false;
      for (JsonNode teardown : teardowns) {
        JsonNode prediction = teardown.get("predicted");
        List<String> wire = new ArrayList<>();
        prediction.get("wire").forEach(segment -> wire.add(segment.asText()));
        predicted.addAll(wire);
        // The closed peer's RST answering our close_notify may beat this call's FIN: the condition
        // the prediction names (certain: false); the calls after it were read as the kernel had it.
        if (conditions(prediction).contains("PEER_RESET_BEFORE_FIN")) {
          assertEquals(false, prediction.get("certain").asBoolean(), teardown::toString);
          wire.remove("FIN");
        }
        ifResetFirst.addAll(wire);
        laterDataReset |= prediction.get("peerWrite").asText().equals("RESET_THEN_FAILS");
      }
      List<String> seen = run.teardown(ends[0], ends[1]);
      // The peer's closing alert, sent after our close(2), meets a closed socket: the RST the
      // prediction's peerWrite (RESET_THEN_FAILS) announced for data the peer sends later.
      List<String> withLaterReset = new ArrayList<>(predicted);
      withLaterReset.add("RST");
      // The peer's own TLS close reset in the race its prediction named (certain: false: our
      // close_notify landed before its close(2)); that RST can reach us before the FIN of the
      // shutdown our TLS layer makes next, which then sends nothing (tcp_reset -> tcp_done).
      boolean peerResetInItsRace = run.teardown(ends[1], ends[0]).contains("RST")
          && teardowns(lines, ends[1]).stream().anyMatch(t -> !t.get("predicted").get("certain").asBoolean());
      List<String> withoutOurFin = new ArrayList<>(predicted);
      withoutOurFin.remove("FIN");
      boolean agrees = seen.equals(predicted) || (laterDataReset && seen.equals(withLaterReset))
          || seen.equals(ifResetFirst) || (peerResetInItsRace && seen.equals(withoutOurFin));
      assertTrue(agrees, () -> ends[0] + ": predicted " + predicted + ", tcpdump saw " + seen + "\n" + teardowns);
    }
  }

  private static List<JsonNode> teardowns(List<JsonNode> lines, String local) {
    return lines.stream().filter(l -> l.get("type").asText().equals("teardown")
        && local.equals(l.path("local").asText())).toList();
  }

  private static List<String> conditions(JsonNode prediction) {
    List<String> names = new ArrayList<>();
    prediction.get("conditions").forEach(name -> names.add(name.asText()));
    return names;
  }

  private static List<JsonNode> report(Path report) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(report)) {
      JsonNode node = JSON.readTree(line);
      if (node.has("thread")) {
        lines.add(node);
      }
    }
    return lines;
  }
}
