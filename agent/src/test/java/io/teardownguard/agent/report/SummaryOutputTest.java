package io.teardownguard.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.teardownguard.agent.config.AgentOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SummaryOutputTest {
  private static final String SUMMARY = "teardown-guard: 0 finding(s) at 0 call site(s)\n";

  @TempDir
  Path dir;

  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  private void deliver(Path file) {
    AgentOptions options = AgentOptions.parse("summary=" + file, Map.<String, String>of()::get, w -> {});
    SummaryOutput.deliver(SUMMARY, options, new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  @Test
  void aSummaryFileIsOwnerOnlyEvenWhenItExistedBefore() throws Exception {
    Path fresh = dir.resolve("fresh.txt");
    Path earlier = Files.writeString(dir.resolve("earlier.txt"), "an earlier, longer summary\n".repeat(3));
    Files.setPosixFilePermissions(earlier, PosixFilePermissions.fromString("rw-r--r--"));

    deliver(fresh);
    deliver(earlier);

    for (Path file : new Path[] {fresh, earlier}) {
      assertEquals(SUMMARY, Files.readString(file));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
    assertEquals("", stderr.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anUnwritableSummaryFileSaysSoThenTheSummaryFollowsOnStderr() {
    Path missing = dir.resolve("no-such-dir/summary.txt");

    deliver(missing);

    assertEquals("teardown-guard: summary=" + missing + " cannot be written (No such file or directory); the summary"
        + " follows on stderr\n" + SUMMARY, stderr.toString(StandardCharsets.UTF_8));
  }
}
