package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every class the agent loads to observe a JVM's first close comes from the bundle premain
 * defines (StartupClasses, agent/src/build/startup-classes.txt), except the few premain loads
 * before it reads the bundle: a class added to that path without its line in the list fails here.
 * Read from the JVM's own log of class loading, on the benchmark's start-up program.
 */
final class StartupClassesIT {
  /** Loaded from the jar as usual: before the bundle is read, or named in the list's comment as left out. */
  private static final Set<String> FROM_THE_JAR = Set.of(
      "io.teardownguard.agent.TeardownGuardAgent",
      "io.teardownguard.agent.jdk.StartupClasses",
      "io.teardownguard.agent.jdk.JdkSockets",
      "io.teardownguard.agent.jdk.AgentJar",
      "io.teardownguard.agent.jdk.JdkUnsafe",
      "io.teardownguard.agent.TeardownGuard",
      "io.teardownguard.agent.instrumentation.BootHooks$Handler");
  private static final Pattern LOADED = Pattern.compile("^(io\\.teardownguard\\.(?:agent|model)\\.\\S+) source: (.*)$");

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(120)
  void theFirstCloseLoadsTheAgentsClassesFromTheBundle(int feature, @TempDir Path dir) throws Exception {
    Path cache = Files.createDirectory(dir.resolve("cache"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path log = dir.resolve("classes.log");
    List<String> options = List.of("-javaagent:" + ChildJvm.AGENT_JAR + "=summary=off,cache=" + cache,
        "-Xlog:class+load=info:file=" + log + ":none");
    // The first start weaves NioSocketImpl with ASM and fills the cache; the second is the common one.
    for (int start = 0; start < 2; start++) {
      ChildJvm.Result result = ChildJvm.run(ChildJvm.jdk(feature), 60, options, "-cp", "target/classes",
          "io.teardownguard.bench.OneConnection");
      assertEquals(0, result.exitCode(), () -> result.stdout() + result.stderr());
    }

    Set<String> fromTheJar = new TreeSet<>();
    Set<String> defined = new TreeSet<>();
    for (String line : Files.readAllLines(log)) {
      Matcher loaded = LOADED.matcher(line.strip());
      if (loaded.matches()) {
        (loaded.group(2).equals("__JVM_DefineClass__") ? defined : fromTheJar).add(loaded.group(1));
      }
    }
    assertEquals(FROM_THE_JAR, fromTheJar, "classes loaded from the jar; the bundle's: " + defined);
    assertTrue(defined.size() >= 60, () -> "defined from the bundle: " + defined);
  }
}
