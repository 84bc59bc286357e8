package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rule, positive and negative: the agent runs each sample program (an unsafe and a fixed
 * variant per rule) in its own JVM and must flag exactly the catalogued rules at the catalogued
 * call sites, and nothing in the fixed variants.
 */
final class AgentSamplesIT {

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(900)
  void everyUnsafeSampleIsFlaggedAndEveryFixedOneIsClean(int feature) throws Exception {
    ChildJvm.Result run = ChildJvm.runJar(ChildJvm.jdk(feature), 840, "samples",
        System.getProperty("tg.samplesJar", "../sample-apps/target/teardown-guard-samples.jar"));

    System.out.println(run.stdout());
    assertEquals(0, run.exitCode(), () -> run.stdout() + run.stderr());
    assertTrue(run.stdout().lines().filter(l -> l.startsWith("ok ")).count() >= 20, run.stdout());
  }
}
