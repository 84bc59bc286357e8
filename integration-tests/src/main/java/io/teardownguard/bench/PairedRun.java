package io.teardownguard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The paired method: two JVMs running the same workload, one with the agent and one without,
 * both pinned to the same CPU, take turns in short segments after a warm-up. A burst of other
 * work on the machine then hits both sides of a pair alike, and the median over many pairs of
 * rate-with / rate-without cancels most of what is left. The side that goes first alternates.
 */
final class PairedRun {
  /** One turn each. */
  record Pair(Child.Segment with, Child.Segment without) {
    double ratio() {
      return with.perSecond() / without.perSecond();
    }

    /** What the agent adds to one operation, in µs of wall time: inflated by the share of the CPU others take. */
    double addedMicros() {
      return (with.nanos() / (double) with.ops() - without.nanos() / (double) without.ops()) / 1e3;
    }

    /** The ratio by the workload thread's CPU time per operation (without / with), blind to the share of the CPU. */
    double cpuRatio() {
      return without.cpuMicrosPerOp() / with.cpuMicrosPerOp();
    }

    /**
     * What the agent adds to one operation, in µs of CPU time of the thread that runs the
     * workload (the agent's hooks run there): not inflated by waiting for the CPU; blind to
     * work on other threads (the bulk reader, the agent's own).
     */
    double addedCpuMicros() {
      return with.cpuMicrosPerOp() - without.cpuMicrosPerOp();
    }
  }

  /** Warm-up turns are this long, so that neither side waits long for compilation. */
  private static final int WARMUP_SEGMENT_MILLIS = 500;

  private PairedRun() {}

  static List<Pair> measure(ChildJvm jvm, Jdk jdk, String workload, AgentSetting setting, Settings settings,
      PrintStream progress) throws IOException, InterruptedException {
    String what = workload + " on " + jdk.label() + ", " + setting.options();
    try (Child with = Child.start(what + ", with agent", jvm.workload(jdk, setting.options(), workload));
        Child without = Child.start(what + ", without agent", jvm.workload(jdk, null, workload))) {
      for (int i = 0; i < settings.warmupSeconds() * 1000 / WARMUP_SEGMENT_MILLIS; i++) {
        with.run(WARMUP_SEGMENT_MILLIS);
        without.run(WARMUP_SEGMENT_MILLIS);
      }
      List<Pair> pairs = new ArrayList<>();
      for (int i = 0; i < settings.pairs(); i++) {
        Child.Segment first = (i % 2 == 0 ? with : without).run(settings.segmentMillis());
        Child.Segment second = (i % 2 == 0 ? without : with).run(settings.segmentMillis());
        pairs.add(i % 2 == 0 ? new Pair(first, second) : new Pair(second, first));
      }
      progress.println(Text.format("%s: %d pairs; median %.0f/s with, %.0f/s without, median ratio %.3f", what,
          pairs.size(), Stats.of(pairs.stream().map(pair -> pair.with().perSecond()).toList()).median(),
          Stats.of(pairs.stream().map(pair -> pair.without().perSecond()).toList()).median(),
          Stats.of(pairs.stream().map(Pair::ratio).toList()).median()));
      return pairs;
    }
  }
}
