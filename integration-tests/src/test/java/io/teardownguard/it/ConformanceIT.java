package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teardownguard.model.semantics.JdkLayer;
import io.teardownguard.model.semantics.KernelLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The user-facing conformance command, run as a user would on JDK 17 and JDK 25: every scenario
 * must agree with this machine's kernel, and together the runs must exercise every row of the
 * model's JDK and kernel tables.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class ConformanceIT {
  private static final int MINIMUM_SCENARIOS = 40;
  private static final Set<String> DERIVATIONS = new ConcurrentSkipListSet<>();
  private static final Path REPORTS = Path.of(System.getProperty("tg.reports", "target/conformance"));

  @Order(1)
  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(600)
  void everyScenarioAgreesWithTheKernel(int feature) throws Exception {
    Files.createDirectories(REPORTS);
    Path json = REPORTS.resolve("conformance-jdk" + feature + ".json");

    ChildJvm.Result run = ChildJvm.runJar(ChildJvm.jdk(feature), 540, "conformance", "--json", json.toString());

    System.out.println(run.stdout());
    assertEquals(0, run.exitCode(), () -> "conformance disagreed on JDK " + feature + ":\n" + run.stdout() + run.stderr());
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertTrue(report.get("jdk").asText().startsWith(feature + "."), report.get("jdk").asText());
    assertTrue(report.get("kernel").asText().startsWith("Linux"), report.get("kernel").asText());
    assertTrue(report.get("total").asInt() >= MINIMUM_SCENARIOS, "only " + report.get("total") + " scenarios");
    assertEquals(report.get("total").asInt(), report.get("agreed").asInt());
    assertEquals(report.get("total").asInt(), report.get("scenarios").size());
    for (JsonNode scenario : report.get("scenarios")) {
      assertTrue(scenario.get("agree").asBoolean(), scenario.toString());
      assertTrue(scenario.get("observed").size() > 0, "nothing observed in " + scenario.get("name"));
      for (String field : fieldNames(scenario.get("observed"))) {
        assertTrue(scenario.get("predicted").has(field), "observed " + field + " without a prediction in " + scenario.get("name"));
      }
      scenario.get("predicted").get("derivation").forEach(d -> DERIVATIONS.add(d.asText()));
    }
    assertOraclesAsPrivilegesAllow(report);
  }

  @Order(2)
  @Test
  void togetherTheRunsExerciseEveryRowOfTheModel() {
    Set<String> missing = new TreeSet<>();
    for (String row : KernelLayer.rowIds()) {
      if (DERIVATIONS.stream().noneMatch(d -> d.startsWith("kernel:") && d.endsWith("-> " + row))) {
        missing.add("kernel row " + row);
      }
    }
    for (String row : JdkLayer.rowIds()) {
      if (DERIVATIONS.stream().noneMatch(d -> d.startsWith("jdk: " + row + " -> "))) {
        missing.add("JDK row " + row);
      }
    }
    assertTrue(DERIVATIONS.size() > 0, "run the conformance test first");
    assertEquals(Set.of(), missing, "rows no scenario reaches");
  }

  /** As root (CI) the wire and counter oracles must be on; elsewhere the run says why not. */
  private static void assertOraclesAsPrivilegesAllow(JsonNode report) throws Exception {
    boolean root = ChildJvm.runningAsRoot();
    for (JsonNode oracle : report.get("oracles")) {
      String name = oracle.get("name").asText();
      boolean available = oracle.get("available").asBoolean();
      if (root) {
        assertTrue(available, "oracle " + name + " is off although we are root: " + oracle.get("detail"));
      } else if (!available) {
        System.out.println("oracle " + name + " skipped: " + oracle.get("detail"));
        assertTrue(oracle.get("detail").asText().startsWith("skipped: "), oracle.toString());
      }
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
