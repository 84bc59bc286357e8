package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.it.support.UnsafeCloseApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's cache (docs/agent.md, "cache") in child JVMs: the first JVM hooks the JDK's classes
 * with ASM and stores them; the next takes them from the cache and loads no class of ASM; a
 * damaged entry is derived again; a directory others may write is not used; and in every case
 * the application's finding is reported as without a cache, with no internal error and nothing on
 * stderr. Which classes a JVM loaded is read from its {@code -Xlog:class+load}.
 */
@Timeout(240)
final class AgentCacheIT {
  private static final String ASM = "io.teardownguard.shaded.asm.";
  private static final String NO_ERRORS = "internal errors 0,";

  @TempDir
  Path dir;

  private int runs;

  /** One run of UnsafeCloseApp (a finding at each close) with the agent; its summary, class-load log and stderr. */
  private record Run(String summary, String classesLoaded, String stderr) {
    boolean loadedAsm() {
      return classesLoaded.contains(ASM);
    }
  }

  private Run run(int jdk, String options, Map<String, String> env) throws IOException, InterruptedException {
    runs++;
    Path summary = dir.resolve("summary" + runs + ".txt");
    Path classes = dir.resolve("classes" + runs + ".txt");
    ChildJvm.Result result = ChildJvm.run(ChildJvm.jdk(jdk), 60, List.of(
        "-Xlog:class+load:file=" + classes,
        "-javaagent:" + ChildJvm.AGENT_JAR + "=" + options + (options.isEmpty() ? "" : ",") + "summary=" + summary,
        "-cp", System.getProperty("tg.testClasses", "target/test-classes")), env,
        UnsafeCloseApp.class.getName(), "--count", "2");
    assertEquals(0, result.exitCode(), result.stderr());
    String text = Files.readString(summary);
    assertTrue(text.contains("CLOSE_WITH_UNREAD_DATA") && text.contains(NO_ERRORS), text);
    return new Run(text, Files.readString(classes), result.stderr());
  }

  private static List<Path> entries(Path cache) throws IOException {
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cache)) {
      return files.sorted().toList();
    }
  }

  private static boolean holds(Path cache, String prefix) throws IOException {
    return entries(cache).stream().anyMatch(f -> f.getFileName().toString().startsWith(prefix));
  }

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  void theFirstJvmStoresTheHookedClassesAndTheNextLoadsNoAsm(int jdk) throws Exception {
    Path cache = dir.resolve("cache");

    Run cold = run(jdk, "cache=" + cache, Map.of());
    assertEquals("", cold.stderr());
    assertTrue(cold.loadedAsm(), "a cache miss hooks with ASM");
    assertTrue(holds(cache, "hooked-sun.nio.ch.NioSocketImpl-"), entries(cache).toString());
    assertTrue(holds(cache, "libteardownguard-probe-"), entries(cache).toString());
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(cache, LinkOption.NOFOLLOW_LINKS)));
    List<Path> stored = entries(cache);

    Run warm = run(jdk, "cache=" + cache, Map.of());
    assertEquals("", warm.stderr());
    assertFalse(warm.loadedAsm(), "a cache hit loads no class of ASM");
    assertEquals(stored, entries(cache), "nothing written again");
    assertEquals(cold.summary(), warm.summary());
  }

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  void damagedEntriesAreDerivedAgainAndReplaced(int jdk) throws Exception {
    Path cache = dir.resolve("cache");
    Run cold = run(jdk, "cache=" + cache, Map.of());
    List<Path> stored = entries(cache);
    for (Path entry : stored) {
      byte[] bytes = Files.readAllBytes(entry);
      bytes[bytes.length / 2] ^= 0x20;
      Files.write(entry, bytes);
    }

    Run damaged = run(jdk, "cache=" + cache, Map.of());
    assertEquals("", damaged.stderr(), "the native probe still loads: no fallback to /proc is announced");
    assertTrue(damaged.loadedAsm(), "a damaged entry is a miss");
    assertEquals(cold.summary(), damaged.summary());

    Run repaired = run(jdk, "cache=" + cache, Map.of());
    assertFalse(repaired.loadedAsm(), "the damaged entries were replaced");
    assertEquals(stored, entries(cache));
  }

  @Test
  void aDirectoryOthersMayWriteIsNotUsedAndTheAgentRunsOn() throws Exception {
    Path cache = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));

    Run first = run(17, "cache=" + cache, Map.of());
    Run second = run(17, "cache=" + cache, Map.of());

    assertEquals("", first.stderr() + second.stderr());
    assertEquals(List.of(), entries(cache));
    assertTrue(second.loadedAsm(), "no cache: every JVM hooks with ASM");
  }

  @Test
  void aCacheDirectoryThatCannotBeMadeIsNoErrorToTheApplication() throws Exception {
    Files.writeString(dir.resolve("file"), "a file where the cache's parent should be");

    Run run = run(25, "cache=" + dir.resolve("file").resolve("cache"), Map.of());

    assertEquals("", run.stderr());
    assertTrue(run.loadedAsm());
  }

  @Test
  void aRelativeDirectoryIsOneStderrLineAndTheDefaultIsUsed() throws Exception {
    Path xdg = dir.resolve("xdg");

    Run run = run(17, "cache=relative/dir", Map.of("XDG_CACHE_HOME", xdg.toString()));

    assertEquals("teardown-guard: cache=relative/dir is not valid; accepted: auto, off, or an absolute directory path;"
        + " using auto\n", run.stderr());
    assertTrue(holds(xdg.resolve("teardown-guard"), "hooked-sun.nio.ch.NioSocketImpl-"), entries(xdg).toString());
  }

  @Test
  void offDerivesEverythingInEveryJvmAndWritesNothing() throws Exception {
    Path xdg = dir.resolve("xdg");
    List<Run> both = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      both.add(run(25, "cache=off", Map.of("XDG_CACHE_HOME", xdg.toString())));
    }

    assertFalse(Files.exists(xdg));
    assertTrue(both.get(1).loadedAsm());
    assertEquals("", both.get(0).stderr() + both.get(1).stderr());
  }
}
