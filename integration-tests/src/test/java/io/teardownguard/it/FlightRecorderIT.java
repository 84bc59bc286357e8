package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.it.support.UnsafeCloseApp;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JFR events, read back from a recording the application's JVM made
 * ({@code -XX:StartFlightRecording}): with RecordingFile, and with the JDK's own {@code jfr print}.
 */
@Timeout(120)
final class FlightRecorderIT {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  void findingsAndTeardownsAreInTheRecording(int jdk) throws Exception {
    Path recording = dir.resolve("rec.jfr");

    ChildJvm.Result run = ChildJvm.run(ChildJvm.jdk(jdk), 60,
        List.of("-XX:StartFlightRecording=filename=" + recording, "-Xlog:jfr=off",
            "-javaagent:" + ChildJvm.AGENT_JAR + "=summary=off,events=all",
            "-cp", System.getProperty("tg.testClasses", "target/test-classes")),
        UnsafeCloseApp.class.getName(), "--count", "2");

    assertEquals(0, run.exitCode(), run.stderr());
    List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
    List<RecordedEvent> findings = events.stream().filter(e -> e.getEventType().getName().equals("teardown.Finding")).toList();
    assertEquals(2, findings.size(), "one per occurrence: " + findings);
    RecordedEvent finding = findings.get(0);
    assertEquals("CLOSE_WITH_UNREAD_DATA", finding.getString("rule"));
    assertEquals("ERROR", finding.getString("severity"));
    assertEquals("close", finding.getString("op"));
    assertEquals("java.net.Socket", finding.getString("api"));
    assertEquals("fin_rst", finding.getString("outcome"));
    assertEquals(64, finding.getLong("discardedReceiveBytes"));
    assertEquals(0, finding.getLong("discardedSendBytes"));
    assertTrue(finding.getString("site").startsWith(UnsafeCloseApp.class.getName() + ".rejectRequest(UnsafeCloseApp.java:"),
        finding.getString("site"));
    List<RecordedEvent> teardowns = events.stream().filter(e -> e.getEventType().getName().equals("teardown.Teardown")).toList();
    assertTrue(teardowns.stream().anyMatch(e -> e.getString("outcome").equals("fin_rst")
        && e.getLong("discardedReceiveBytes") == 64 && e.getString("op").equals("close")), "events=all: " + teardowns);

    ChildJvm.Result print = ChildJvm.runTool(ChildJvm.jdk(jdk), "jfr", 60, "print", "--events", "teardown.Finding", recording.toString());
    assertEquals(0, print.exitCode(), print.stderr());
    assertEquals(2, print.stdout().lines().filter(l -> l.equals("teardown.Finding {")).count(), print.stdout());
    assertTrue(print.stdout().contains("rule = \"CLOSE_WITH_UNREAD_DATA\""), print.stdout());
    assertTrue(print.stdout().contains("discardedReceiveBytes = 64 bytes"), print.stdout());
  }
}
