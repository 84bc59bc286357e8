package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/tg test} as CI and a pipe see it, on a small real Maven project (this repository's
 * parent POM, a test class that passes and one that fails, each printing a line): the output is plain
 * text, short, keeps Maven's "Tests run:" totals, the failed test with its message and what it
 * printed, and names the full log; {@code -v} prints all of Maven's output.
 */
@Timeout(300)
final class TgTestOutputIT {
  private static final Path TG = Path.of(System.getProperty("tg.launcher", "../bin/tg")).toAbsolutePath().normalize();
  private static final Pattern FULL_LOG = Pattern.compile("full log: (\\S+)");

  @TempDir
  Path project;

  @BeforeEach
  void writeProject() throws IOException {
    Files.writeString(project.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <parent>
            <groupId>io.teardownguard</groupId>
            <artifactId>teardown-guard-parent</artifactId>
            <version>0.1.0-SNAPSHOT</version>
            <relativePath>%s</relativePath>
          </parent>
          <artifactId>tg-output-probe</artifactId>
          <dependencies>
            <dependency>
              <groupId>org.junit.jupiter</groupId>
              <artifactId>junit-jupiter</artifactId>
              <scope>test</scope>
            </dependency>
          </dependencies>
        </project>
        """.formatted(project.toRealPath().relativize(TG.getParent().getParent().resolve("pom.xml").toRealPath())));
    Path tests = Files.createDirectories(project.resolve("src/test/java/probe"));
    Files.writeString(tests.resolve("PassesTest.java"), """
        package probe;

        import org.junit.jupiter.api.Test;

        class PassesTest {
          @Test
          void passes() {
            System.out.println("what the passing test printed");
          }
        }
        """);
    Files.writeString(tests.resolve("FailsTest.java"), """
        package probe;

        import static org.junit.jupiter.api.Assertions.assertEquals;

        import org.junit.jupiter.api.Test;

        class FailsTest {
          @Test
          void fails() {
            System.out.println("what the failing test printed");
            assertEquals(2, 1, "the failure's own message");
          }
        }
        """);
  }

  @Test
  void aFailedBuildIsShortPlainAndShowsTheTotalsTheFailureAndWhatTheFailedTestPrinted() throws Exception {
    Run run = tg("test", "-f", project.resolve("pom.xml").toString());

    assertNotEquals(0, run.exitCode, run.output);
    assertFalse(run.output.contains("\u001b"), "ANSI codes in a pipe:\n" + run.output);
    assertTrue(run.output.contains("Tests run: 2, Failures: 1, Errors: 0, Skipped: 0"), run.output);
    assertTrue(run.output.contains("FailsTest.fails"), run.output);
    assertTrue(run.output.contains("the failure's own message"), run.output);
    assertTrue(run.output.contains("what the failing test printed"), run.output);
    assertFalse(run.output.contains("what the passing test printed"), run.output);
    assertTrue(run.output.contains("BUILD FAILURE"), run.output);
    assertTrue(run.output.lines().count() <= 40, run.output.lines().count() + " lines:\n" + run.output);
    Matcher log = FULL_LOG.matcher(run.output);
    assertTrue(log.find(), run.output);
    String full = Files.readString(Path.of(log.group(1)));
    assertTrue(full.contains("what the passing test printed"), "the full log keeps everything");
    Files.delete(Path.of(log.group(1)));
  }

  @Test
  void verboseShowsAllOfMavensOutputStillPlain() throws Exception {
    Run run = tg("test", "-v", "-f", project.resolve("pom.xml").toString(), "-Dtest=PassesTest");

    assertEquals(0, run.exitCode, run.output);
    assertFalse(run.output.contains("\u001b"), "ANSI codes in a pipe:\n" + run.output);
    assertTrue(run.output.contains("what the passing test printed"), run.output);
    assertTrue(run.output.contains("[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), run.output);
    assertTrue(run.output.contains("--- maven-surefire-plugin:"), run.output);
  }

  private record Run(int exitCode, String output) {}

  /** bin/tg with stdout and stderr into one pipe (not a terminal), bounded in time. */
  private Run tg(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(TG.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(project.resolve("tg.out").toFile());
    builder.environment().remove("TG_VERBOSE");
    Process tg = builder.start();
    if (!tg.waitFor(240, TimeUnit.SECONDS)) {
      tg.destroyForcibly();
      throw new AssertionError("bin/tg did not finish in 240 s:\n" + Files.readString(project.resolve("tg.out")));
    }
    return new Run(tg.exitValue(), Files.readString(project.resolve("tg.out"), StandardCharsets.UTF_8));
  }
}
