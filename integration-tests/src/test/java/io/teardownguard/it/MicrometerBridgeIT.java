package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.observation.Observation;
import io.teardownguard.it.support.MicrometerApp;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An application with its own Micrometer sees the agent's meters in its own registry, with no
 * configuration: {@link MicrometerApp} in a child JVM whose class path has micrometer-core (the
 * real jars, not the agent's relocated copy), with the agent's Prometheus endpoint running too,
 * so both copies of Micrometer live in one JVM; and after a dynamic attach to a JVM whose
 * Micrometer is already loaded.
 */
@Timeout(120)
final class MicrometerBridgeIT {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  void theMetersAppearInTheApplicationsGlobalRegistry(int jdk) throws Exception {
    String classPath = classPath();
    int port = ChildJvm.freeLoopbackPort();

    ChildJvm.Result run = ChildJvm.run(ChildJvm.jdk(jdk), 60,
        List.of("-javaagent:" + ChildJvm.AGENT_JAR + "=summary=off,metrics=prometheus:" + port, "-cp", classPath),
        MicrometerApp.class.getName(), "--scrape", Integer.toString(port));

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.stderr());
    List<String> meters = run.stdout().lines().filter(l -> l.startsWith("meter ")).toList();
    assertTrue(meters.contains("meter teardown.findings rule=CLOSE_WITH_UNREAD_DATA severity=ERROR 2.0"), run.stdout());
    assertTrue(meters.contains("meter teardown.closes api=Socket outcome=fin_rst 2.0"), run.stdout());
    assertTrue(meters.contains("meter teardown.discarded.bytes direction=receive 128.0"), run.stdout());
    assertTrue(meters.contains("meter teardown.discarded.bytes direction=send 0.0"), run.stdout());
    assertTrue(meters.contains("meter teardown.time_wait 0.0"), run.stdout());
    assertTrue(meters.contains("meter teardown.agent.errors 0.0"), run.stdout());
    assertTrue(meters.stream().noneMatch(l -> l.matches(".*(port|address|local|remote)=.*")), "bounded tags: " + meters);
    assertTrue(run.stdout().contains("micrometer " + Metrics.class.getProtectionDomain().getCodeSource().getLocation() + "\n"),
        "the application's Metrics is micrometer-core's: " + run.stdout());
    assertTrue(run.stdout().contains("scrape teardown_findings_total{rule=\"CLOSE_WITH_UNREAD_DATA\",severity=\"ERROR\"} 2.0"),
        "the agent's own registry, in the same JVM: " + run.stdout());
  }

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  void afterADynamicAttachTheMetersJoinTheRegistryTheApplicationAlreadyUses(int jdk) throws Exception {
    Path go = dir.resolve("go");
    Process app = new ProcessBuilder(ChildJvm.jdk(jdk).resolve("bin/java").toString(), "-cp", classPath(),
        MicrometerApp.class.getName(), "--wait", go.toString())
        // stderr apart: JDK 21+ warns there that an agent was loaded dynamically (JEP 451).
        .redirectError(dir.resolve("stderr.txt").toFile()).start();
    List<String> meters;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("waiting", out.readLine());
      ByteBuddyAgent.attach(ChildJvm.AGENT_JAR.toFile(), String.valueOf(app.pid()), "summary=off");
      Files.createFile(go);
      meters = out.lines().filter(l -> l.startsWith("meter ")).toList();
      assertTrue(app.waitFor(60, TimeUnit.SECONDS));
    } finally {
      app.destroyForcibly();
    }
    assertEquals(0, app.exitValue(), Files.readString(dir.resolve("stderr.txt")));
    assertTrue(meters.contains("meter teardown.findings rule=CLOSE_WITH_UNREAD_DATA severity=ERROR 2.0"), meters.toString());
    assertTrue(meters.contains("meter teardown.discarded.bytes direction=receive 128.0"), meters.toString());
  }

  private static String classPath() throws URISyntaxException {
    return String.join(File.pathSeparator, System.getProperty("tg.testClasses", "target/test-classes"),
        jarOf(Metrics.class), jarOf(KeyValue.class), jarOf(Observation.class), jarOf(Histogram.class));
  }

  private static String jarOf(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
