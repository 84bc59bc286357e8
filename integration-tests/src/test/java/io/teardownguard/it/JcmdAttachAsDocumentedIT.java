package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dynamic attach the README and docs/agent.md show, run as shown: {@code jcmd PID
 * JVMTI.agent_load JAR '"report=FILE,..."'} into a running JVM loads the agent with those options,
 * on JDK 17 and JDK 25; JDK 21+ warns on the application's stderr (JEP 451) unless the JVM was
 * started with {@code -XX:+EnableDynamicAgentLoading}.
 */
final class JcmdAttachAsDocumentedIT {
  private static final String WARNING = "WARNING: A Java agent has been loaded dynamically";

  @TempDir
  Path dir;

  @ParameterizedTest(name = "JDK {0} {1}")
  @CsvSource({"17, ''", "25, ''", "25, -XX:+EnableDynamicAgentLoading"})
  @Timeout(120)
  void jcmdLoadsTheAgentWithTheQuotedOptions(int feature, String jvmFlag) throws Exception {
    Path report = dir.resolve("tg.jsonl");
    try (AttachTarget app = AttachTarget.start(feature, dir, jvmFlag.isEmpty() ? List.of() : List.of(jvmFlag))) {
      // jcmd keeps only what precedes '=' of an unquoted argument (HotSpot's DCmdParser::parse):
      // the double quotes, which the shell's single quotes pass through, keep the options whole.
      ChildJvm.Result jcmd = jcmd(feature, String.valueOf(app.pid()), "JVMTI.agent_load",
          ChildJvm.AGENT_JAR.toString(), "\"report=" + report + ",summary=off\"");
      assertEquals(0, jcmd.exitCode(), jcmd.stdout() + jcmd.stderr());
      assertTrue(jcmd.stdout().contains("return code: 0"), jcmd.stdout());

      assertEquals(0, app.closeAndFinish());
      assertFalse(app.stderr().contains("teardown-guard: agent option"), "options refused: " + app.stderr());
      assertEquals(feature >= 21 && jvmFlag.isEmpty(), app.stderr().contains(WARNING), app.stderr());
    }
    AttachTarget.assertReportsItsFinding(report);
  }

  private static ChildJvm.Result jcmd(int feature, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ChildJvm.jdk(feature).resolve("bin/jcmd").toString()));
    command.addAll(List.of(args));
    Process jcmd = new ProcessBuilder(command).start();
    assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS), "jcmd did not finish in 60 s");
    return new ChildJvm.Result(jcmd.exitValue(), new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(jcmd.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
