package io.teardownguard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The heap over many churn connections with the agent (default options): the used heap after a
 * full GC every tenth of the run. Flat means no trend from the first checkpoint on (the first
 * connections load classes and fill the agent's fixed tables). No run without the agent: it
 * would only show the JVM's own few KiB of noise, at the cost of doubling the longest run.
 */
final class HeapBenchmark {
  /** One run's series: connections done, and the used heap in bytes after a full GC then. */
  record Series(String label, List<Long> connections, List<Long> usedBytes, double perSecond) {
    /** Least-squares growth in KiB per 100,000 connections, from the first checkpoint after 0 on. */
    double slopeKibPer100k() {
      int n = connections.size() - 1;
      double meanX = 0;
      double meanY = 0;
      for (int i = 1; i <= n; i++) {
        meanX += connections.get(i);
        meanY += usedBytes.get(i);
      }
      meanX /= n;
      meanY /= n;
      double covariance = 0;
      double variance = 0;
      for (int i = 1; i <= n; i++) {
        covariance += (connections.get(i) - meanX) * (usedBytes.get(i) - meanY);
        variance += (connections.get(i) - meanX) * (connections.get(i) - meanX);
      }
      return variance == 0 ? 0 : covariance / variance * 100_000 / 1024;
    }

    /** "1,743 KiB at 100,000, 1,642 KiB at 1,000,000": from the first checkpoint after 0 to the last. */
    String firstToLast() {
      int last = connections.size() - 1;
      return Text.format("%,.0f KiB at %,d, %,.0f KiB at %,d", usedBytes.get(1) / 1024.0, connections.get(1),
          usedBytes.get(last) / 1024.0, connections.get(last));
    }

    /** Largest minus smallest used heap from the first checkpoint after 0 on, in KiB. */
    double rangeKib() {
      List<Long> later = usedBytes.subList(1, usedBytes.size());
      return (later.stream().mapToLong(Long::longValue).max().orElse(0)
          - later.stream().mapToLong(Long::longValue).min().orElse(0)) / 1024.0;
    }
  }

  private HeapBenchmark() {}

  static Series measure(ChildJvm jvm, Jdk jdk, long connections, PrintStream progress)
      throws IOException, InterruptedException {
    String label = jdk.label() + ", with agent";
    long every = Math.max(1, connections / 10);
    List<Long> done = new ArrayList<>();
    List<Long> used = new ArrayList<>();
    long nanos = 0;
    try (Child child = Child.start("heap on " + label, jvm.workload(jdk, AgentSetting.DEFAULTS.options(), "churn"))) {
      done.add(0L);
      used.add(child.heapAfterGc());
      while (done.get(done.size() - 1) < connections) {
        nanos += child.count(every).nanos();
        done.add(done.get(done.size() - 1) + every);
        used.add(child.heapAfterGc());
      }
    }
    Series series = new Series(label, done, used, done.get(done.size() - 1) * 1e9 / nanos);
    // The whole series, so that a run cut short still leaves the finished ones readable.
    StringBuilder kib = new StringBuilder();
    for (long bytes : used) {
      kib.append(' ').append(Math.round(bytes / 1024.0));
    }
    progress.println(Text.format("heap %s: %,d connections at %.0f/s, KiB used after GC every %,d:%s", label,
        connections, series.perSecond(), every, kib));
    return series;
  }

  /** One column per run, one row per checkpoint, then the trend and the range. */
  static void print(PrintStream out, List<Series> runs) {
    List<String> header = new ArrayList<>(List.of("connections"));
    runs.forEach(series -> header.add(series.label() + ", KiB"));
    out.println(Text.header(header));
    List<Long> checkpoints = runs.get(0).connections();
    for (int i = 0; i < checkpoints.size(); i++) {
      List<String> row = new ArrayList<>(List.of(Text.format("%,d", checkpoints.get(i))));
      for (Series series : runs) {
        row.add(i < series.usedBytes().size() ? Text.format("%,.0f", series.usedBytes().get(i) / 1024.0) : "");
      }
      out.println(Text.row(row));
    }
    List<String> slope = new ArrayList<>(List.of("trend, KiB per 100,000 connections"));
    List<String> range = new ArrayList<>(List.of("max - min after the first checkpoint, KiB"));
    List<String> rate = new ArrayList<>(List.of("connections/s"));
    for (Series series : runs) {
      slope.add(Text.format("%+.1f", series.slopeKibPer100k()));
      range.add(Text.format("%.0f", series.rangeKib()));
      rate.add(Text.format("%.0f", series.perSecond()));
    }
    out.println(Text.row(slope));
    out.println(Text.row(range));
    out.println(Text.row(rate));
  }
}
