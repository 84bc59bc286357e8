package io.teardownguard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the agent adds to the life of a JVM that opens and closes one loopback connection and
 * exits ({@link OneConnection}): wall time from ProcessBuilder.start() to exit, and the child's
 * CPU time (user + system, all threads, from bash's {@code times}, which the kernel's rusage
 * gives to the millisecond). Starts come in pairs, with and without the agent, the first of a
 * pair alternating; the figures are the median differences. On a CPU other jobs share, the wall
 * time grows with their share and the CPU time does not. The first pairs are discarded (they
 * fill the page cache).
 */
final class StartupBenchmark {
  /** Milliseconds added by the agent in one pair. */
  record Added(double wallMillis, double cpuMillis) {}

  private record Start(double wallMillis, double cpuMillis) {}

  private static final int DISCARDED_PAIRS = 2;
  private static final long TIMEOUT_SECONDS = 120;
  /** Runs the command, then prints the children's user and system time ("0m0.123s 0m0.045s"). */
  private static final List<String> TIMES = List.of("bash", "-c", "\"$@\"; status=$?; times; exit $status", "bash");
  private static final Pattern CHILD_TIMES = Pattern.compile("^(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s$");

  private StartupBenchmark() {}

  static List<Added> measure(ChildJvm jvm, Jdk jdk, Settings settings, PrintStream progress)
      throws IOException, InterruptedException {
    List<Added> added = new ArrayList<>();
    List<Double> without = new ArrayList<>();
    for (int i = -DISCARDED_PAIRS; i < settings.starts(); i++) {
      boolean withFirst = i % 2 == 0;
      Start first = start(jvm, jdk, withFirst);
      Start second = start(jvm, jdk, !withFirst);
      Start with = withFirst ? first : second;
      Start plain = withFirst ? second : first;
      if (i >= 0) {
        added.add(new Added(with.wallMillis() - plain.wallMillis(), with.cpuMillis() - plain.cpuMillis()));
        without.add(plain.wallMillis());
      }
    }
    progress.println(Text.format("start-up on %s: %d pairs; median %.1f ms without, %+.1f ms added (CPU %+.1f ms)",
        jdk.label(), added.size(), Stats.of(without).median(),
        Stats.of(added.stream().map(Added::wallMillis).toList()).median(),
        Stats.of(added.stream().map(Added::cpuMillis).toList()).median()));
    return added;
  }

  private static Start start(ChildJvm jvm, Jdk jdk, boolean withAgent) throws IOException, InterruptedException {
    String what = "start-up on " + jdk.label() + (withAgent ? " with" : " without") + " the agent";
    List<String> command = new ArrayList<>(TIMES);
    command.addAll(jvm.command(jdk, withAgent ? AgentSetting.DEFAULTS.options() : null, OneConnection.class, List.of()));
    ChildJvm.Result result = ChildJvm.run(what, command, TIMEOUT_SECONDS);
    Matcher times = result.stdout().size() == 2 ? CHILD_TIMES.matcher(result.stdout().get(1)) : null;
    if (times == null || !times.matches()) {
      throw new BenchmarkException(what + ": expected bash's two 'times' lines, got " + result.stdout());
    }
    double cpuSeconds = Integer.parseInt(times.group(1)) * 60 + Double.parseDouble(times.group(2))
        + Integer.parseInt(times.group(3)) * 60 + Double.parseDouble(times.group(4));
    return new Start(result.nanos() / 1e6, cpuSeconds * 1e3);
  }
}
