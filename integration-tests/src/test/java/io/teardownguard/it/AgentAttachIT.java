package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.it.support.ListenBeforeAttach;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    try (AttachTarget app = AttachTarget.start(feature, dir, List.of())) {
      ByteBuddyAgent.attach(ChildJvm.AGENT_JAR.toFile(), String.valueOf(app.pid()), "report=" + report + ",summary=off");

      assertEquals(0, app.closeAndFinish());
    }
    AttachTarget.assertReportsItsFinding(report);
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
    String options = "report=" + report + ",summary=off,timeWaitThreshold=" + SERVER_CLOSES;
    String stderr;
    try (AttachTarget app = AttachTarget.start(feature, dir, List.of(), ListenBeforeAttach.class,
        go -> List.of(go.toString(), String.valueOf(SERVER_CLOSES)))) {
      String pid = String.valueOf(app.pid());
      ByteBuddyAgent.attach(ChildJvm.AGENT_JAR.toFile(), pid, options);
      ByteBuddyAgent.attach(ChildJvm.AGENT_JAR.toFile(), pid, options);
      ByteBuddyAgent.attach(ChildJvm.AGENT_JAR.toFile(), pid, "events=all");

      assertEquals(0, app.closeAndFinish());
      stderr = app.stderr();
    }
    List<String> lines = Files.readAllLines(report);
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"rule\":\"SERVER_SIDE_TIME_WAIT\"")), String.join("\n", lines));
    // The same options again: silent. Other options: one line naming both.
    List<String> said = stderr.lines().filter(l -> l.startsWith("teardown-guard:")).toList();
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).contains("'events=all'") && said.get(0).contains("ignored"), said.get(0));
  }
}
