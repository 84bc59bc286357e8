package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent attached to a JVM that is already running (agentmain), on JDK 17 and JDK 25. */
final class AgentAttachIT {
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
}
