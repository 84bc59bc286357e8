package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teardownguard.it.support.OddThreadNameApp;
import io.teardownguard.it.support.ShutdownHookCloseApp;
import io.teardownguard.it.support.UnsafeCloseApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The report and the summary end to end, in child JVMs: what the application does at exit is in
 * them, two JVMs can share a report path, and what cannot be written is counted and named.
 */
@Timeout(180)
final class ReportFileIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TEARDOWNS = Pattern.compile("teardown-guard: (\\d+) teardown\\(s\\)");
  private static final Pattern SITES = Pattern.compile("finding\\(s\\) at (\\d+) call site\\(s\\)");
  private static final Pattern DROPPED = Pattern.compile("report lines dropped (\\d+)");

  @TempDir
  Path dir;

  private static List<String> agent(String options) {
    return List.of("-javaagent:" + ChildJvm.AGENT_JAR + "=" + options,
        "-cp", System.getProperty("tg.testClasses", "target/test-classes"));
  }

  private static long number(Pattern pattern, String summary) {
    Matcher matcher = pattern.matcher(summary);
    assertTrue(matcher.find(), pattern + " in " + summary);
    return Long.parseLong(matcher.group(1));
  }

  /** Every line parses as JSON; with events=all there is one per teardown plus one per rule and site. */
  private static List<JsonNode> parseAll(Path report) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(report)) {
      try {
        lines.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + line, e);
      }
    }
    return lines;
  }

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  void closesMadeInTheApplicationsShutdownHooksAreReported(int jdk) throws Exception {
    Path report = dir.resolve("r.jsonl");
    Path summary = dir.resolve("summary.txt");

    ChildJvm.Result run = ChildJvm.run(ChildJvm.jdk(jdk), 60, agent("report=" + report + ",summary=" + summary),
        ShutdownHookCloseApp.class.getName(), "20");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.stderr());
    String text = Files.readString(summary);
    assertTrue(text.contains("CLOSE_WITH_UNREAD_DATA") && text.contains("x20"), text);
    assertTrue(Files.readString(report).contains("\"rule\":\"CLOSE_WITH_UNREAD_DATA\""), Files.readString(report));
  }

  @Test
  void twoJvmsGivenOneReportPathEachWriteAFileOfTheirOwnAndLoseNothing() throws Exception {
    Path report = dir.resolve("r.jsonl");
    Path hold = dir.resolve("hold");
    List<Process> apps = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      apps.add(ChildJvm.start(ChildJvm.jdk(i == 0 ? 17 : 25),
          agent("report=" + report + ",events=all,summary=" + dir.resolve("summary-%p.txt")),
          dir.resolve("out" + i), dir.resolve("err" + i), UnsafeCloseApp.class.getName(), "--count", "5",
          "--hold", hold.toString()));
    }
    // Both have written report lines, and both are still running: neither has let go of its file.
    for (int i = 0; i < 2; i++) {
      Path out = dir.resolve("out" + i);
      for (int wait = 0; wait < 600 && !Files.readString(out).contains("holding"); wait++) {
        Thread.sleep(50);
      }
      assertEquals("holding\n", Files.readString(out), Files.readString(dir.resolve("err" + i)));
    }
    Files.createFile(hold);
    for (Process app : apps) {
      assertEquals(0, ChildJvm.stop(app, 30));
    }

    List<String> stderr = List.of(Files.readString(dir.resolve("err0")), Files.readString(dir.resolve("err1")));
    List<Path> reports;
    try (Stream<Path> files = Files.list(dir)) {
      reports = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    }
    assertEquals(2, reports.size(), reports + " " + stderr);
    assertTrue(reports.contains(report), reports.toString());
    Path other = reports.get(0).equals(report) ? reports.get(1) : reports.get(0);
    String divertedPid = other.getFileName().toString().split("\\.")[1];
    assertEquals(1, stderr.stream().filter(("teardown-guard: report=" + report
        + " is being written by another process; this one writes " + other + "\n")::equals).count(), stderr.toString());
    for (Process app : apps) {
      String summary = Files.readString(dir.resolve("summary-" + app.pid() + ".txt"));
      Path own = divertedPid.equals(Long.toString(app.pid())) ? other : report;
      assertEquals(0, number(DROPPED, summary), summary);
      assertTrue(summary.endsWith(", report " + own + "\n"), summary);
      assertEquals(number(TEARDOWNS, summary) + number(SITES, summary), parseAll(own).size(), summary);
    }
  }

  @Test
  void anUnpairedSurrogateInAThreadNameIsEscapedAndTheReportGoesOn() throws Exception {
    Path report = dir.resolve("r.jsonl");
    Path summary = dir.resolve("summary.txt");

    ChildJvm.Result run = ChildJvm.run(ChildJvm.jdk(25), 60,
        agent("report=" + report + ",events=all,summary=" + summary), OddThreadNameApp.class.getName());

    assertEquals(0, run.exitCode(), run.stderr());
    List<JsonNode> lines = parseAll(report);
    String text = Files.readString(summary);
    assertEquals(number(TEARDOWNS, text) + number(SITES, text), lines.size(), text);
    assertEquals(0, number(DROPPED, text), text);
    assertTrue(lines.stream().anyMatch(l -> OddThreadNameApp.ODD_NAME.equals(l.path("thread").asText())));
    assertTrue(lines.stream().anyMatch(l -> "main".equals(l.path("thread").asText())), "lines after the odd ones");
  }

  /** A full disk: the report on a 16 KiB tmpfs this test mounts (root only). */
  @Test
  void aFullDiskCountsEveryLostLineAndTheSummaryNamesTheReport() throws Exception {
    assumeTrue(ChildJvm.runningAsRoot(), "needs root to mount a 16 KiB tmpfs; skipped");
    Path mount = Files.createDirectory(dir.resolve("tiny"));
    command("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", mount.toString());
    try {
      Path report = mount.resolve("r.jsonl");
      Path summary = dir.resolve("summary.txt");

      ChildJvm.Result run = ChildJvm.run(ChildJvm.jdk(17), 120,
          agent("report=" + report + ",events=all,summary=" + summary), UnsafeCloseApp.class.getName(),
          "--count", "100");

      assertEquals(0, run.exitCode(), run.stderr());
      assertEquals("done\n", run.stdout());
      String text = Files.readString(summary);
      assertTrue(Files.readString(report).endsWith("\n"), "no line cut off");
      long written = parseAll(report).size();
      assertTrue(written > 0 && number(DROPPED, text) > 0, text);
      assertEquals(number(TEARDOWNS, text) + number(SITES, text), written + number(DROPPED, text), text);
      assertTrue(text.contains(", report " + report + " NOT complete (No space left on device)\n"), text);
      assertEquals("teardown-guard: report=" + report + " cannot be written (No space left on device); the lines not"
          + " written are counted in the summary\n", run.stderr());
    } finally {
      command("umount", mount.toString());
    }
  }

  /**
   * {@code report=/dev/null} as root: a node of the same device (char 1,3), made in the test's
   * directory so that no run, with or without the fix, can touch the machine's own /dev/null.
   */
  @Test
  void aDeviceAtTheReportPathIsRefusedInOneLineAndLeftAsItIs() throws Exception {
    assumeTrue(ChildJvm.runningAsRoot(), "needs root to make a device node; skipped");
    Path devNull = dir.resolve("null");
    command("mknod", devNull.toString(), "c", "1", "3");

    ChildJvm.Result run = ChildJvm.run(ChildJvm.jdk(25), 60, agent("report=" + devNull + ",summary=off"),
        UnsafeCloseApp.class.getName());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("done\n", run.stdout());
    assertEquals(259L, Files.getAttribute(devNull, "unix:rdev", LinkOption.NOFOLLOW_LINKS), "still char 1,3");
    assertTrue(Files.readAttributes(devNull, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther());
    assertEquals("teardown-guard: report=" + devNull + " cannot be written (it is a device, FIFO or socket, not a"
        + " regular file; left as it is); the lines not written are counted in the summary\n", run.stderr());
  }

  private static void command(String... command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), String.join(" ", command));
    assertEquals(0, process.exitValue(), String.join(" ", command));
  }

  @Test
  void aPerProcessNameWithPercentPKeepsEachJvmsReport() throws Exception {
    Path pattern = dir.resolve("r-%p.jsonl");

    ChildJvm.Result run = ChildJvm.run(ChildJvm.jdk(17), 60, agent("report=" + pattern + ",summary=off"),
        UnsafeCloseApp.class.getName());

    assertEquals(0, run.exitCode(), run.stderr());
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(f -> f.getFileName().toString()).toList();
      assertEquals(1, names.size(), names.toString());
      assertTrue(names.get(0).matches("r-\\d+\\.jsonl"), names.toString());
    }
  }

  @Test
  void aReportPathWithACommaIsRefusedInOneLineAndNothingIsWrittenToItsFirstPart() throws Exception {
    String options = "summary=off,report=" + dir.resolve("a") + ",b.jsonl";

    ChildJvm.Result run = ChildJvm.run(ChildJvm.jdk(25), 60, agent(options), Map.of(), UnsafeCloseApp.class.getName());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("done\n", run.stdout());
    assertEquals("teardown-guard: report=" + dir.resolve("a") + ",b.jsonl is not valid: ',' separates agent options;"
        + " accepted: a file path (%p: the process id) without ','; using none\n", run.stderr());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
  }
}
