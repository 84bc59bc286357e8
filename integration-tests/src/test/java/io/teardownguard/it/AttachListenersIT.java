package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.it.support.ListenBeforeAttach;
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

/**
 * An agent attached to a server that already listens: connections its listener accepts afterwards
 * are the server's side (SERVER_SIDE_TIME_WAIT fires as with -javaagent), and a second attach
 * with other options says, in one line, that they are ignored.
 */
final class AttachListenersIT {
  private static final int CLOSES = 8;

  @TempDir
  Path dir;

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(120)
  void listenersOpenedBeforeTheAttachAreKnown(int feature) throws Exception {
    Path report = dir.resolve("r.jsonl");
    Path go = dir.resolve("go");
    Path stderr = dir.resolve("stderr.txt");
    Process app = new ProcessBuilder(ChildJvm.jdk(feature).resolve("bin/java").toString(),
        "-cp", System.getProperty("tg.testClasses", "target/test-classes"),
        ListenBeforeAttach.class.getName(), go.toString(), String.valueOf(CLOSES))
        .redirectError(stderr.toFile()).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("waiting", out.readLine());
      String options = "report=" + report + ",summary=off,timeWaitThreshold=" + CLOSES;
      ByteBuddyAgent.attach(ChildJvm.AGENT_JAR.toFile(), String.valueOf(app.pid()), options);
      ByteBuddyAgent.attach(ChildJvm.AGENT_JAR.toFile(), String.valueOf(app.pid()), options);
      ByteBuddyAgent.attach(ChildJvm.AGENT_JAR.toFile(), String.valueOf(app.pid()), "events=all");
      Files.createFile(go);
      assertEquals("done", out.readLine());
      assertTrue(app.waitFor(60, TimeUnit.SECONDS));
    } finally {
      app.destroyForcibly();
    }
    assertEquals(0, app.exitValue());
    List<String> lines = Files.readAllLines(report);
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"rule\":\"SERVER_SIDE_TIME_WAIT\"")), String.join("\n", lines));
    // The same options again: silent. Other options: one line naming both.
    List<String> said = Files.readAllLines(stderr).stream().filter(l -> l.startsWith("teardown-guard:")).toList();
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).contains("'events=all'") && said.get(0).contains("ignored"), said.get(0));
  }
}
