package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.it.support.ListenBeforeAttach;
import io.teardownguard.it.support.UnsafeCloseApp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent attached to a JVM that is already running (agentmain), on JDK 17 and JDK 25. */
final class AgentAttachIT {
  private static final int SERVER_CLOSES = 8;

  @TempDir
  Path dir;

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(120)
  void attachedAgentReportsTeardownsMadeAfterwards(int feature) throws Exception {
    Path report = dir.resolve("r.jsonl");
    Path go = dir.resolve("go");
    runAttached(feature, pid -> attach(pid, "report=" + report + ",summary=off"), go,
        UnsafeCloseApp.class, "--wait", go.toString());
    List<String> lines = Files.readAllLines(report);
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"rule\":\"CLOSE_WITH_UNREAD_DATA\"")
        && l.contains(UnsafeCloseApp.class.getName() + ".rejectRequest")), String.join("\n", lines));
  }

  /**
   * A server that already listens when the agent is attached: connections its listener accepts
   * afterwards are the server's side (SERVER_SIDE_TIME_WAIT fires as with -javaagent), and a
   * second attach with other options says, in one line, that they are ignored.
   */
  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(120)
  void listenersOpenedBeforeTheAttachAreKnown(int feature) throws Exception {
    Path report = dir.resolve("r.jsonl");
    Path go = dir.resolve("go");
    String options = "report=" + report + ",summary=off,timeWaitThreshold=" + SERVER_CLOSES;
    runAttached(feature, pid -> {
      attach(pid, options);
      attach(pid, options);
      attach(pid, "events=all");
    }, go, ListenBeforeAttach.class, go.toString(), String.valueOf(SERVER_CLOSES));
    List<String> lines = Files.readAllLines(report);
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"rule\":\"SERVER_SIDE_TIME_WAIT\"")), String.join("\n", lines));
    // The same options again: silent. Other options: one line naming both.
    List<String> said = Files.readAllLines(dir.resolve("stderr.txt")).stream()
        .filter(l -> l.startsWith("teardown-guard:")).toList();
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).contains("'events=all'") && said.get(0).contains("ignored"), said.get(0));
  }

  private interface Attach {
    void to(String pid);
  }

  private static void attach(String pid, String options) {
    ByteBuddyAgent.attach(ChildJvm.AGENT_JAR.toFile(), pid, options);
  }

  /**
   * Runs a test-support main class on JDK {@code feature} (its stderr to stderr.txt) that prints
   * "waiting", attaches, lets it go on by creating {@code go}, and waits for its "done" and exit 0.
   */
  private void runAttached(int feature, Attach attach, Path go, Class<?> main, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ChildJvm.jdk(feature).resolve("bin/java").toString(),
        "-cp", System.getProperty("tg.testClasses", "target/test-classes"), main.getName()));
    command.addAll(List.of(args));
    // stderr apart: JDK 21+ warns there that an agent was loaded dynamically (JEP 451).
    Process app = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("waiting", out.readLine());
      attach.to(String.valueOf(app.pid()));
      Files.createFile(go);
      assertEquals("done", out.readLine());
      assertTrue(app.waitFor(60, TimeUnit.SECONDS));
    } finally {
      app.destroyForcibly();
    }
    assertEquals(0, app.exitValue());
  }
}
