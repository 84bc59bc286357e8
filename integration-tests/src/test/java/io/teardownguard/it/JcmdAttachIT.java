package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.it.support.UnsafeCloseApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code jcmd PID JVMTI.agent_load JAR OPTIONS}, the real jcmd of JDK 17 and JDK 25. HotSpot's
 * diagnostic-command parser hands the agent only the key of an unquoted {@code key=value}
 * argument ("report"), and {@code key:value} whole.
 */
final class JcmdAttachIT {
  @TempDir
  Path dir;

  /** Starts the app (waiting for {@code go}), loads the agent with jcmd, lets the app close badly; the app's stderr. */
  private String attachWithJcmd(int feature, String options) throws Exception {
    Path go = dir.resolve("go");
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process app = ChildJvm.start(ChildJvm.jdk(feature), List.of("-cp", System.getProperty("tg.testClasses",
        "target/test-classes")), out, err, UnsafeCloseApp.class.getName(), "--wait", go.toString());
    for (int i = 0; i < 600 && Files.readString(out).isEmpty(); i++) {
      Thread.sleep(50);
    }

    ChildJvm.Result jcmd = ChildJvm.runTool(ChildJvm.jdk(feature), "jcmd", 60, String.valueOf(app.pid()),
        "JVMTI.agent_load", ChildJvm.AGENT_JAR.toAbsolutePath().toString(), options);
    Files.createFile(go);

    assertEquals(0, ChildJvm.stop(app, 60), Files.readString(err));
    assertEquals(0, jcmd.exitCode(), jcmd.stdout() + jcmd.stderr());
    assertEquals("waiting\ndone\n", Files.readString(out));
    // JDK 21+ also warns on stderr that an agent was loaded dynamically (JEP 451): only the agent's lines count.
    return Files.readAllLines(err).stream().filter(l -> l.startsWith("teardown-guard:"))
        .collect(Collectors.joining("\n"));
  }

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(120)
  void keyColonValueReachesTheAgentWhole(int feature) throws Exception {
    Path report = dir.resolve("r.jsonl");

    String stderr = attachWithJcmd(feature, "report:" + report + ",summary:off");

    assertEquals("", stderr);
    List<String> lines = Files.readAllLines(report);
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"rule\":\"CLOSE_WITH_UNREAD_DATA\"")
        && l.contains(UnsafeCloseApp.class.getName() + ".rejectRequest")), String.join("\n", lines));
  }

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(120)
  void keyEqualsValueLosesItsValueInJcmdAndTheAgentSaysHowToWriteIt(int feature) throws Exception {
    Path report = dir.resolve("r.jsonl");

    String stderr = attachWithJcmd(feature, "report=" + report);

    assertTrue(stderr.startsWith("teardown-guard: agent option 'report' has no value (jcmd JVMTI.agent_load keeps only"
        + " what precedes '=' in an unquoted argument: write report:VALUE); accepted: a file path (%p: the process id);"
        + " using none\n"), stderr);
    assertTrue(stderr.contains("teardown-guard: 1 finding(s) at 1 call site(s)"),
        "the agent runs, with its summary on stderr: " + stderr);
    assertTrue(Files.notExists(report));
  }
}
