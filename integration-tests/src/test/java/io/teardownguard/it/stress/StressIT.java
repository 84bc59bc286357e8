package io.teardownguard.it.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teardownguard.conformance.kernel.NetNamespace;
import io.teardownguard.it.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent under abuse ({@link StressApp}): each program runs without and with the agent on JDK
 * 17 and 25, and must print the same and exit the same; with the agent, internal errors must be 0,
 * every report line a whole JSON object, and the report's lines must add up to the summary's
 * counts. As root each run gets a private network namespace, so thousands of TIME_WAIT entries
 * from one run never meet the next.
 */
final class StressIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long RUN_TIMEOUT_SECONDS = 120;

  @TempDir
  Path dir;

  enum Outcome {
    FIN, RST, FIN_RST, NONE
  }

  static Stream<Arguments> programs() {
    List<Arguments> programs = new ArrayList<>();
    for (int jdk : new int[] {17, 25}) {
      for (String mode : List.of("close-race", "close-vs-read", "close-vs-write", "close-vs-accept", "close-vs-connect",
          "close-vs-select", "interrupts", "exit-mid-close")) {
        programs.add(Arguments.of(jdk, List.of(mode), List.of()));
      }
      programs.add(Arguments.of(jdk, List.of("leaks", "200000", "10"), List.of("-Xmx64m")));
    }
    programs.add(Arguments.of(25, List.of("virtual-threads", "10000"), List.of()));
    return programs.stream();
  }

  @ParameterizedTest(name = "JDK {0} {1}")
  @MethodSource("programs")
  @Timeout(300)
  void sameBehaviourAndAReportThatAddsUp(int jdk, List<String> program, List<String> jvmOptions) throws Exception {
    Path report = dir.resolve("report.jsonl");
    Path summary = dir.resolve("summary.txt");
    ChildJvm.Result plain = run(jdk, jvmOptions, program);
    List<String> withAgent = new ArrayList<>(jvmOptions);
    withAgent.add("-javaagent:" + ChildJvm.AGENT_JAR + "=events=all,report=" + report + ",summary=" + summary);
    ChildJvm.Result guarded = run(jdk, withAgent, program);

    assertFalse(plain.stdout().isBlank(), () -> "the program printed nothing: " + plain.stderr());
    assertEquals(plain.exitCode(), guarded.exitCode(), () -> "exit code differs with the agent: " + guarded.stderr());
    assertEquals(plain.stdout(), guarded.stdout(), "output differs with the agent");

    String text = Files.readString(summary);
    Summary totals = Summary.parse(text);
    assertEquals(0, totals.internalErrors, text);

    assertTrue(Files.exists(report), () -> "no report file, though the summary names it:\n" + text);
    List<JsonNode> lines = new ArrayList<>();
    List<String> reportLines = Files.readAllLines(report);
    for (int i = 0; i < reportLines.size(); i++) {
      String line = reportLines.get(i);
      JsonNode event;
      try {
        event = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new AssertionError("report line " + (i + 1) + " of " + reportLines.size() + " is not whole JSON: " + line
            + "\n" + text, e);
      }
      assertTrue(event != null && event.isObject() && event.has("type"), () -> "not a whole JSON object: " + line);
      lines.add(event);
    }
    Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
    Set<String> findingSites = new HashSet<>();
    long teardowns = 0;
    for (JsonNode event : lines) {
      if (event.get("type").asText().equals("teardown")) {
        teardowns++;
        outcomes.merge(outcome(event), 1L, Long::sum);
      } else {
        assertTrue(findingSites.add(event.get("rule").asText() + " " + event.get("site").asText()),
            () -> "a second finding line for one rule and call site: " + event);
      }
    }
    assertEquals(totals.teardowns + totals.sites, lines.size() + totals.dropped,
        "report lines plus dropped must be the summary's teardowns plus its call sites:\n" + text);
    if (totals.dropped == 0) {
      assertEquals(totals.teardowns, teardowns, text);
      assertEquals(totals.outcomes, outcomes, "teardowns by outcome, summary against report:\n" + text);
      assertEquals(totals.sites, findingSites.size(), text);
    }
  }

  private ChildJvm.Result run(int jdk, List<String> jvmOptions, List<String> program) throws Exception {
    List<String> java = new ArrayList<>(List.of(ChildJvm.jdk(jdk).resolve("bin/java").toString()));
    java.addAll(jvmOptions);
    java.addAll(List.of("-cp", System.getProperty("tg.testClasses", "target/test-classes"), StressApp.class.getName()));
    java.addAll(program);
    List<String> command = java;
    if (NetNamespace.unavailableReason().isEmpty()) {
      // A fresh namespace per run: lo must be brought up before the JVM starts.
      command = new ArrayList<>(List.of("unshare", "-n", "--", "sh", "-c", "ip link set lo up && exec \"$0\" \"$@\""));
      command.addAll(java);
    }
    return ChildJvm.runCommand(command, Map.of(), RUN_TIMEOUT_SECONDS);
  }

  private static Outcome outcome(JsonNode teardown) {
    List<String> wire = new ArrayList<>();
    teardown.get("predicted").get("wire").forEach(w -> wire.add(w.asText()));
    boolean fin = wire.contains("FIN");
    boolean rst = wire.contains("RST");
    return fin && rst ? Outcome.FIN_RST : fin ? Outcome.FIN : rst ? Outcome.RST : Outcome.NONE;
  }

  /** The exit summary's numbers (README "The agent"). */
  private record Summary(long sites, long teardowns, Map<Outcome, Long> outcomes, long internalErrors, long dropped) {
    private static final Pattern FINDINGS = Pattern.compile("(\\d+) finding\\(s\\) at (\\d+) call site\\(s\\)");
    private static final Pattern TEARDOWNS =
        Pattern.compile("(\\d+) teardown\\(s\\): fin (\\d+), rst (\\d+), fin_rst (\\d+), none (\\d+)");
    private static final Pattern ERRORS = Pattern.compile("internal errors (\\d+), report lines dropped (\\d+)");

    static Summary parse(String text) {
      Matcher findings = find(FINDINGS, text);
      Matcher teardowns = find(TEARDOWNS, text);
      Matcher errors = find(ERRORS, text);
      Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
      Outcome[] order = {Outcome.FIN, Outcome.RST, Outcome.FIN_RST, Outcome.NONE};
      for (int i = 0; i < order.length; i++) {
        long count = Long.parseLong(teardowns.group(i + 2));
        if (count > 0) {
          outcomes.put(order[i], count);
        }
      }
      return new Summary(Long.parseLong(findings.group(2)), Long.parseLong(teardowns.group(1)), outcomes,
          Long.parseLong(errors.group(1)), Long.parseLong(errors.group(2)));
    }

    private static Matcher find(Pattern pattern, String text) {
      Matcher matcher = pattern.matcher(text);
      assertTrue(matcher.find(), () -> "no '" + pattern + "' in the summary:\n" + text);
      return matcher;
    }
  }
}
