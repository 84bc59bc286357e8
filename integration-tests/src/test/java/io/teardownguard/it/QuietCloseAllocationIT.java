package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the agent allocates on the path of a close that finds nothing: the bytes the workload's
 * thread allocates per connection (two such closes) with the agent, less those without it, counted
 * by the JVM (ThreadMXBean.getCurrentThreadAllocatedBytes) over 20,000 connections after 20,000 of
 * warm-up. A count, so the machine's load cannot move it.
 */
class QuietCloseAllocationIT {
  private static final String APP = "io.teardownguard.it.support.QuietCloses";
  private static final String CONNECTIONS = "20000";

  /**
   * With probe=java nothing is allocated: the snapshot and the outcome come from tables, and a
   * teardown with no finding is counted without a record. With the kernel probe, each close still
   * makes the probe's result array and its KernelView (issue 14: not yet removed): at most 128
   * bytes per close.
   */
  @ParameterizedTest(name = "JDK {0}, probe={1}")
  @CsvSource({"17, java, 0", "25, java, 0", "17, native, 256", "25, native, 256"})
  @Timeout(300)
  void aCloseThatFindsNothingAllocatesNoMoreThanItsBound(int feature, String probe, long boundPerConnection)
      throws Exception {
    long without = bytesPerConnection(feature, List.of());
    long with = bytesPerConnection(feature,
        List.of("-javaagent:" + ChildJvm.AGENT_JAR + "=summary=off,probe=" + probe));
    assertTrue(with - without <= boundPerConnection,
        () -> "the agent allocated " + (with - without) + " bytes per connection (" + with + " with, " + without
            + " without), bound " + boundPerConnection);
  }

  private static long bytesPerConnection(int feature, List<String> agent) throws Exception {
    ChildJvm.Result result = ChildJvm.run(ChildJvm.jdk(feature), 240, agent, "-cp",
        System.getProperty("tg.testClasses", "target/test-classes"), APP, CONNECTIONS);
    assertEquals(0, result.exitCode(), () -> result.stdout() + result.stderr());
    String line = result.stdout().lines().filter(l -> l.startsWith("bytes per connection ")).findFirst()
        .orElseThrow(() -> new AssertionError(result.stdout() + result.stderr()));
    return Long.parseLong(line.substring("bytes per connection ".length()));
  }
}
