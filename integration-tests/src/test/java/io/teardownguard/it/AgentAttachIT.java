package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.it.support.UnsafeCloseApp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    Path go = dir.resolve("go");
    Process app = new ProcessBuilder(ChildJvm.jdk(feature).resolve("bin/java").toString(),
        "-cp", System.getProperty("tg.testClasses", "target/test-classes"),
        UnsafeCloseApp.class.getName(), "--wait", go.toString())
        // stderr apart: JDK 21+ warns there that an agent was loaded dynamically (JEP 451).
        .redirectError(dir.resolve("stderr.txt").toFile()).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("waiting", out.readLine());

      ByteBuddyAgent.attach(ChildJvm.AGENT_JAR.toFile(), String.valueOf(app.pid()), "report=" + report + ",summary=off");
      Files.createFile(go);

      assertEquals("done", out.readLine());
      assertTrue(app.waitFor(60, TimeUnit.SECONDS));
    } finally {
      app.destroyForcibly();
    }
    assertEquals(0, app.exitValue());
    List<String> lines = Files.readAllLines(report);
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"rule\":\"CLOSE_WITH_UNREAD_DATA\"")
        && l.contains(UnsafeCloseApp.class.getName() + ".rejectRequest")), String.join("\n", lines));
  }
}
