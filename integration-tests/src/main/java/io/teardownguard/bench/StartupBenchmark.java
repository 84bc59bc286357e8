package io.teardownguard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent adds to the life of a JVM that opens and closes one loopback connection and
 * exits ({@link OneConnection}), from ProcessBuilder.start() to exit. Starts come in pairs, with
 * and without the agent, the first of a pair alternating; the figure is the median difference.
 * The first pairs are discarded (they fill the page cache).
 */
final class StartupBenchmark {
  private static final int DISCARDED_PAIRS = 2;
  private static final long TIMEOUT_SECONDS = 60;

  private StartupBenchmark() {}

  /** Milliseconds added by the agent, one per pair. */
  static List<Double> addedMillis(ChildJvm jvm, Jdk jdk, Settings settings, PrintStream progress)
      throws IOException, InterruptedException {
    List<Double> added = new ArrayList<>();
    List<Double> without = new ArrayList<>();
    for (int i = -DISCARDED_PAIRS; i < settings.starts(); i++) {
      boolean withFirst = i % 2 == 0;
      double first = startMillis(jvm, jdk, withFirst);
      double second = startMillis(jvm, jdk, !withFirst);
      if (i >= 0) {
        added.add(withFirst ? first - second : second - first);
        without.add(withFirst ? second : first);
      }
    }
    progress.println(Text.format("start-up on %s: %d pairs; median %.1f ms without, %+.1f ms added", jdk.label(),
        added.size(), Stats.of(without).median(), Stats.of(added).median()));
    return added;
  }

  private static double startMillis(ChildJvm jvm, Jdk jdk, boolean withAgent) throws IOException, InterruptedException {
    String what = "start-up on " + jdk.label() + (withAgent ? " with" : " without") + " the agent";
    String options = withAgent ? AgentSetting.DEFAULTS.options() : null;
    return ChildJvm.run(what, jvm.command(jdk, options, OneConnection.class, List.of()), TIMEOUT_SECONDS).nanos() / 1e6;
  }
}
