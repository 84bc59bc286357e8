package io.teardownguard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Measurement 3: the heap over many connections, with the agent and without. The workload
 * prints the used heap after a full GC every tenth of the run; flat means no trend beyond the
 * run-to-run noise the without-agent series shows.
 */
final class HeapBenchmark {
  static final List<AgentSetting> SETTINGS = List.of(AgentSetting.WITHOUT, AgentSetting.WITH_DEFAULT_THRESHOLD);
  /** 127.0.0.2 .. 127.0.0.30: a long run stays clear of any one address's ephemeral ports. */
  static final int SOURCES = 29;
  static final List<String> JVM_OPTIONS = List.of("-Xmx256m");

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

    /** Largest minus smallest used heap from the first checkpoint after 0 on, in KiB. */
    double rangeKib() {
      List<Long> later = usedBytes.subList(1, usedBytes.size());
      return (later.stream().mapToLong(Long::longValue).max().orElse(0)
          - later.stream().mapToLong(Long::longValue).min().orElse(0)) / 1024.0;
    }
  }

  private final ChildJvm jvm;
  private final Settings settings;
  private final PrintStream progress;

  HeapBenchmark(ChildJvm jvm, Settings settings, PrintStream progress) {
    this.jvm = jvm;
    this.settings = settings;
    this.progress = progress;
  }

  Series measure(Jdk jdk, AgentSetting setting) throws IOException, InterruptedException {
    String what = "heap on " + jdk.label() + " " + setting.label();
    long every = Math.max(1, settings.connections() / 10);
    List<String> args = List.of("--connections", String.valueOf(settings.connections()), "--heap-every",
        String.valueOf(every), "--sources", String.valueOf(SOURCES));
    // Bounded by 1,000 connections/s, several times slower than any run seen on a loaded 2-core VM.
    long timeoutSeconds = settings.connections() / 1000 + 120;
    List<String> stdout = jvm.run(what, jvm.command(jdk, setting, JVM_OPTIONS, ChurnWorkload.class, args), timeoutSeconds).stdout();
    List<Long> connections = new ArrayList<>();
    List<Long> used = new ArrayList<>();
    for (String line : stdout) {
      if (line.startsWith("heap ")) {
        connections.add(Text.field(line, "connections"));
        used.add(Text.field(line, "used"));
      }
    }
    if (connections.size() < 3) {
      throw new BenchmarkException(what + ": expected 'heap connections=N used=B' lines, got " + stdout);
    }
    ChurnRun run = ChurnRun.parse(what, stdout);
    Series series = new Series(jdk.label() + ", " + setting.label(), connections, used, run.perSecond());
    // The whole series, so that a run cut short still leaves the finished ones readable.
    StringBuilder kib = new StringBuilder();
    for (long bytes : used) {
      kib.append(' ').append(Math.round(bytes / 1024.0));
    }
    progress.println(Text.format("heap %s: %d connections at %.0f/s, KiB used after GC every %d:%s", series.label(),
        run.connections(), run.perSecond(), every, kib));
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
