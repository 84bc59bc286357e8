package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teardownguard.conformance.scenario.Scenario;
import io.teardownguard.conformance.scenario.ScenarioParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code conformance --link veth} as a user runs it (as root: it makes two network namespaces, a
 * veth pair and a tbf qdisc), on JDK 17 and JDK 25, without and with the agent in the suite's own
 * JVM. Without the agent every scenario runs over the link; with it, the scenarios only a link can
 * show (the agent hooks the suite's own closes there, and must change none of them), which keeps
 * the four runs to a few minutes on two cores.
 */
final class LinkConformanceIT {
  /** The scenarios that exist only on the link; each must have had bytes in flight at its call. */
  private static final List<String> LINK_ONLY =
      List.of("link-close-unacked-data", "link-shutdown-output-in-flight", "link-linger-expires-in-flight",
          "link-zero-linger-in-flight");
  /** The loopback suite's 139 runs (28 of them TLS) plus the link's own 9. */
  private static final int MINIMUM_RUNS = 148;
  private static final Path REPORTS = Path.of(System.getProperty("tg.reports", "target/conformance"));

  @ParameterizedTest(name = "JDK {0}, agent {1}")
  @CsvSource({"17, false", "25, false", "17, true", "25, true"})
  @Timeout(420)
  void everyScenarioAgreesOverARateLimitedLink(int feature, boolean agent) throws Exception {
    assumeTrue(ChildJvm.runningAsRoot(),
        "conformance --link veth needs root (ip netns, veth, tc); skipped as not root");
    Files.createDirectories(REPORTS);
    Path json = REPORTS.resolve("conformance-veth-jdk" + feature + (agent ? "-agent" : "") + ".json");
    List<String> args = new ArrayList<>(List.of("-jar", ChildJvm.AGENT_JAR.toString(), "conformance", "--link",
        "veth", "--json", json.toString()));
    if (agent) {
      LINK_ONLY.forEach(name -> args.addAll(List.of("--scenario", name)));
      // The TLS closes too: the agent joins the calls SSLSocket.close() makes beneath, and must change none.
      ScenarioParser.bundled().stream().map(Scenario::name).filter(name -> name.startsWith("tls-"))
          .forEach(name -> args.addAll(List.of("--scenario", name)));
    }
    List<String> jvm = agent ? List.of("-javaagent:" + ChildJvm.AGENT_JAR + "=summary=off") : List.of();

    ChildJvm.Result run = ChildJvm.run(ChildJvm.jdk(feature), 400, jvm, args.toArray(String[]::new));

    System.out.println(run.stdout());
    assertEquals(0, run.exitCode(), () -> "disagreed on the link, JDK " + feature + ":\n" + run.stdout() + run.stderr());
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals("veth", report.get("network").asText());
    assertTrue(report.get("jdk").asText().startsWith(feature + "."), report.get("jdk").asText());
    for (JsonNode oracle : report.get("oracles")) {
      assertTrue(oracle.get("available").asBoolean(), "oracle off on the link: " + oracle);
    }
    int total = report.get("total").asInt();
    assertEquals(total, report.get("agreed").asInt());
    assertTrue(total >= (agent ? 9 : MINIMUM_RUNS), "only " + total + " runs");
    Set<String> linkOnlySeen = new HashSet<>();
    for (JsonNode scenario : report.get("scenarios")) {
      assertTrue(scenario.get("agree").asBoolean(), scenario.toString());
      String file = scenario.get("name").asText().replaceAll("\\[.*", "");
      if (LINK_ONLY.contains(file)) {
        linkOnlySeen.add(file);
        // Data in flight at the call is what these scenarios are about; without it they prove nothing.
        assertEquals("yes", scenario.get("observed").get("expect.call.inFlight").asText(), scenario.toString());
        assertTrue(scenario.get("observed").has("wire"), "no wire observed in " + scenario.get("name"));
      }
    }
    assertEquals(Set.copyOf(LINK_ONLY), linkOnlySeen);
  }
}
