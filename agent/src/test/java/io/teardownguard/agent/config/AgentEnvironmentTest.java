package io.teardownguard.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

final class AgentEnvironmentTest {
  /** This JVM's whole environment read from procfs is what the JDK's own copy holds. */
  @Test
  @EnabledOnOs(OS.LINUX)
  void theProcessBlockHoldsWhatSystemGetenvHolds() {
    Map<String, String> read = AgentEnvironment.read("/proc/self/environ", "", "");

    assertEquals(new TreeMap<>(System.getenv()), new TreeMap<>(read));
  }

  @Test
  void onlyTheVariablesTheAgentReadsAreKeptTheFirstOfTwinsWinsAndValuesKeepTheirEquals(@TempDir Path dir)
      throws IOException {
    Path block = dir.resolve("environ");
    Files.write(block, String.join("\0", "PATH=/usr/bin", "TEARDOWN_GUARD_REPORT=/tmp/a=b.jsonl",
        "TEARDOWN_GUARD_EVENTS=all", "TEARDOWN_GUARD_EVENTS=findings", "TEARDOWN_GUARD_EMPTY=",
        "TEARDOWN_GUARD_NO_EQUALS", "TEARDOWN_GUAR=short", "XDG_CACHE_HOME=/c", "XDG_CACHE_HOMEX=/d", "")
        .getBytes(StandardCharsets.UTF_8));

    Map<String, String> read =
        AgentEnvironment.read(block.toString(), AgentEnvironment.PREFIX, AgentEnvironment.XDG_CACHE_HOME);

    assertEquals(Map.of("TEARDOWN_GUARD_REPORT", "/tmp/a=b.jsonl", "TEARDOWN_GUARD_EVENTS", "all",
        "TEARDOWN_GUARD_EMPTY", "", "XDG_CACHE_HOME", "/c"), read);
  }

  @Test
  void noBlockMeansNoMap(@TempDir Path dir) {
    assertNull(AgentEnvironment.read(dir.resolve("missing").toString(), AgentEnvironment.PREFIX, "X"));
  }
}
