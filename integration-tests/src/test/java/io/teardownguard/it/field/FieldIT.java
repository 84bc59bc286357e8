package io.teardownguard.it.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teardownguard.conformance.kernel.NetNamespace;
import io.teardownguard.conformance.kernel.WireCapture;
import io.teardownguard.it.ChildJvm;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The agent on real servers, clients and drivers (test dependencies from Maven Central), each
 * driven to a teardown trigger: one child JVM per library and JDK, under {@code unshare -n} and
 * tcpdump ({@link FieldHost}), judged against the kernel by {@link FieldVerdict}. Needs root; the
 * per-case lines it prints (kernel wire, predictions, findings) are what docs/field.md records.
 */
final class FieldIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long CHILD_TIMEOUT_SECONDS = 120;

  @TestFactory
  Stream<DynamicNode> jdk17() {
    return onJdk(17);
  }

  @TestFactory
  Stream<DynamicNode> jdk25() {
    return onJdk(25);
  }

  private static Stream<DynamicNode> onJdk(int feature) {
    try {
      Files.deleteIfExists(fieldDir().resolve("observed-jdk" + feature + ".txt")); // this run's lines only
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return FieldLibraries.CASES.keySet().stream().sorted()
        .map(library -> DynamicContainer.dynamicContainer("JDK " + feature + " " + library,
            Stream.of(library).flatMap(l -> runLibrary(feature, l))));
  }

  private static Stream<DynamicNode> runLibrary(int feature, String library) {
    Optional<String> unavailable = NetNamespace.unavailableReason().or(WireCapture::unavailableReason);
    if (unavailable.isPresent()) {
      return Stream.of(DynamicTest.dynamicTest(library, () -> assumeTrue(false,
          "the field suite needs root, tcpdump and unshare: " + unavailable.get())));
    }
    try {
      Path dir = Files.createDirectories(fieldDir());
      Path cases = dir.resolve(library + "-jdk" + feature + ".json");
      Path report = dir.resolve(library + "-jdk" + feature + ".jsonl");
      Path summary = dir.resolve(library + "-jdk" + feature + ".summary.txt");
      Files.deleteIfExists(cases);
      Files.deleteIfExists(report);
      List<String> command = new ArrayList<>(List.of(ChildJvm.jdk(feature).resolve("bin/java").toString(),
          "-javaagent:" + ChildJvm.AGENT_JAR + "=events=all,report=" + report + ",summary=" + summary,
          "-Djdk.httpclient.keepalive.timeout=1", "-Xmx256m", "-XX:TieredStopAtLevel=1",
          "-cp", childClassPath(), FieldHost.class.getName(), library, cases.toString()));
      ChildJvm.Result run = ChildJvm.runCommand(NetNamespace.reexecCommand(command),
          Map.of(NetNamespace.PRIVATE_NETNS_ENV, "1"), CHILD_TIMEOUT_SECONDS);
      List<DynamicNode> tests = new ArrayList<>();
      tests.add(DynamicTest.dynamicTest(library + " ran, agent errors 0", () -> {
        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        String text = Files.readString(summary);
        assertTrue(text.contains("internal errors 0,"), text);
      }));
      if (run.exitCode() != 0 || !Files.exists(cases)) {
        return tests.stream();
      }
      List<JsonNode> teardowns = new ArrayList<>();
      for (String line : Files.readAllLines(report)) {
        JsonNode event = JSON.readTree(line);
        if (event.get("type").asText().equals("teardown")) {
          teardowns.add(event);
        }
      }
      for (JsonNode fieldCase : JSON.readTree(cases.toFile()).get("cases")) {
        String name = fieldCase.get("name").asText();
        FieldVerdict.Result result = FieldVerdict.judge(fieldCase, teardowns);
        StringBuilder lines = new StringBuilder(String.format(java.util.Locale.ROOT,
            "JDK %d %s: %d endpoint(s), %d wire disagreement(s) (%.1f %%; %d marked certain: false, %d from facts after"
                + " the probe, bound %d), %d FIN then the RST announced for the peer's later data, counters %s%n",
            feature, name, result.endpoints(), result.wireMismatches(),
            100.0 * result.wireMismatches() / Math.max(1, result.endpoints()), result.uncertainMismatches(),
            result.lateFacts(), fieldCase.path("lateFactBound").asInt(), result.answeredLaterSegments(),
            fieldCase.get("counters")));
        result.observations().forEach(o -> lines.append("    ").append(o).append('\n'));
        System.out.print(lines);
        Files.writeString(dir.resolve("observed-jdk" + feature + ".txt"), lines, java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
        tests.add(DynamicTest.dynamicTest(name, () -> assertEquals(List.of(), result.problems(),
            () -> name + " on JDK " + feature + ":\n" + lines)));
      }
      return tests.stream();
    } catch (Exception e) {
      return Stream.of(DynamicTest.dynamicTest(library, () -> {
        throw e;
      }));
    }
  }

  private static Path fieldDir() {
    return Path.of(System.getProperty("tg.reports", "target/conformance")).resolveSibling("field");
  }

  /**
   * The test class path without the agent's own module (the child gets the shaded jar through
   * -javaagent; its unshaded classes ahead of it would shadow the agent) and without the samples.
   */
  static String childClassPath() {
    String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Stream.of(path.split(File.pathSeparator))
        .filter(entry -> !entry.contains("/agent/target") && !entry.contains("teardown-guard-agent")
            && !entry.contains("sample-apps") && !entry.contains("teardown-guard-samples")
            && !entry.contains("runtime-model") && !entry.contains("teardown-guard-runtime-model"))
        .reduce((a, b) -> a + File.pathSeparator + b)
        .orElseThrow();
  }
}
