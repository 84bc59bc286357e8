package io.teardownguard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark harness: what the agent costs, measured in child JVMs with and without it on
 * each JDK given, by the paired method ({@link PairedRun}), paired starts, strace counts and a
 * long heap run. Prints a Markdown table (workload | JDK ...) and the details on stdout,
 * progress on stderr, and writes the figures as JSON. Run it through {@code bin/tg bench};
 * docs/performance.md explains the method and holds the results.
 *
 * <pre>
 * --jdk HOME            a JDK to measure on, repeatable (default: the one running this)
 * --agent JAR           the agent jar (default agent/target/teardown-guard-agent.jar)
 * --cpu N               the CPU both sides are pinned to (default: the last one)
 * --pairs N             paired segments per workload (default 100)
 * --segment-ms MS       one segment (default 100)
 * --warmup S            seconds each side runs before the pairs (default 5)
 * --starts N            start-up pairs (default 40)
 * --strace-connections N  churn connections counted under strace (default 5,000)
 * --connections N       connections of the heap run (default 1,000,000)
 * --measure LIST        which of churn,churn-java,bulk,unsafe-close,startup,syscalls,heap,probe-gap (default all)
 * --json FILE           where the figures go as JSON (default bench.json)
 * </pre>
 */
public final class Benchmarks {
  static final List<String> MEASUREMENTS =
      List.of("churn", "churn-java", "bulk", "unsafe-close", "startup", "syscalls", "heap", "probe-gap");
  private static final Set<String> FLAGS = Set.of("jdk", "agent", "cpu", "pairs", "segment-ms", "warmup", "starts",
      "strace-connections", "connections", "measure", "json");

  private final Settings settings;
  private final ChildJvm jvm;
  private final PrintStream out;
  private final PrintStream progress;
  private final Results results = new Results();
  private final List<HeapBenchmark.Series> heap = new ArrayList<>();

  private Benchmarks(Settings settings, ChildJvm jvm, PrintStream out, PrintStream progress) {
    this.settings = settings;
    this.jvm = jvm;
    this.out = out;
    this.progress = progress;
  }

  public static void main(String[] args) throws InterruptedException {
    Settings settings;
    List<Jdk> jdks = new ArrayList<>();
    ChildJvm jvm;
    try {
      Flags flags = Flags.parse(args, FLAGS);
      int cpus = Runtime.getRuntime().availableProcessors();
      settings = new Settings(
          flags.integer("pairs", 100, 1, 100_000),
          flags.integer("segment-ms", 100, 10, 60_000),
          flags.integer("warmup", 5, 0, 600),
          flags.integer("starts", 40, 1, 10_000),
          flags.number("strace-connections", 5_000, 100, 1_000_000),
          flags.number("connections", 1_000_000, 1_000, 100_000_000),
          flags.subset("measure", MEASUREMENTS, Set.copyOf(MEASUREMENTS)),
          Path.of(flags.text("json", "bench.json")));
      for (String home : flags.all("jdk").isEmpty() ? List.of(System.getProperty("java.home")) : flags.all("jdk")) {
        jdks.add(Jdk.at(Path.of(home)));
      }
      Path agent = Path.of(flags.text("agent", "agent/target/teardown-guard-agent.jar")).toAbsolutePath();
      if (!Files.isRegularFile(agent)) {
        throw new Flags.BadFlagException("--agent: no file at '" + agent + "'; build it first (bin/tg bench does)");
      }
      if ((settings.measurements().contains("syscalls") || settings.measurements().contains("probe-gap"))
          && !onPath("strace")) {
        throw new Flags.BadFlagException("--measure: syscalls needs strace on the PATH (apt-get install strace);"
            + " otherwise name the others, e.g. --measure churn,bulk");
      }
      jvm = new ChildJvm(System.getProperty("java.class.path"), agent, flags.integer("cpu", cpus - 1, 0, cpus - 1));
    } catch (Flags.BadFlagException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Interrupted (Ctrl-C, SIGTERM): the children go too, not only this JVM.
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly), "stop-children"));
    try {
      new Benchmarks(settings, jvm, System.out, System.err).run(jdks);
    } catch (IOException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(1);
    }
  }

  private void run(List<Jdk> jdks) throws IOException, InterruptedException {
    Map<String, Object> json = new LinkedHashMap<>();
    List<String> machine = MachineInfo.describe(jdks);
    String agent = jvm.agentJar() + " (sha-256 " + sha256(jvm.agentJar()).substring(0, 16) + "...)";
    json.put("machine", machine);
    json.put("agent", agent);
    json.put("method", Map.of("cpu", jvm.cpu(), "pairs", settings.pairs(), "segmentMillis", settings.segmentMillis(),
        "warmupSeconds", settings.warmupSeconds(), "starts", settings.starts(),
        "straceConnections", settings.straceConnections(), "heapConnections", settings.heapConnections()));
    out.println("## Machine");
    out.println();
    machine.forEach(out::println);
    out.println("- agent: " + agent);
    out.println(Text.format("- both sides pinned to CPU %d; %d pairs of %d ms segments after %d s warm-up per side",
        jvm.cpu(), settings.pairs(), settings.segmentMillis(), settings.warmupSeconds()));
    for (Jdk jdk : jdks) {
      out.println("- " + AgentCheck.run(jvm, jdk));
    }
    out.println();
    out.println("## Details");
    out.println();
    for (String measurement : settings.measurements()) {
      for (Jdk jdk : jdks) {
        measure(measurement, jdk);
      }
    }
    if (!heap.isEmpty()) {
      out.println();
      out.println(Text.format("## Heap after System.gc(), %,d churn connections with the agent", settings.heapConnections()));
      out.println();
      HeapBenchmark.print(out, heap);
    }
    out.println();
    out.println("## Summary (medians)");
    out.println();
    results.printTable(out, jdks);
    out.println();
    out.println("Load average at end: " + MachineInfo.loadAverage());
    json.put("loadAverageAtEnd", MachineInfo.loadAverage());
    json.put("figures", results.json());
    Files.writeString(settings.json(), Json.of(json), StandardCharsets.UTF_8);
    progress.println("bench: figures written to " + settings.json().toAbsolutePath());
  }

  private void measure(String measurement, Jdk jdk) throws IOException, InterruptedException {
    switch (measurement) {
      case "churn" -> paired(jdk, "churn", AgentSetting.DEFAULTS,
          "churn: connect / write 100 B / read 100 B / close, both ends in one JVM, both closes graceful");
      case "churn-java" -> paired(jdk, "churn", AgentSetting.JAVA_PROBE,
          "the same with `probe=java` (no system calls: the Java side alone)");
      case "bulk" -> paired(jdk, "bulk", AgentSetting.DEFAULTS,
          "bulk: 64 KiB writes over one connection");
      case "unsafe-close" -> paired(jdk, "unsafe-close", AgentSetting.DEFAULTS,
          "a repeated unsafe close (server closes with 100 B unread, same call site every time)");
      case "startup" -> {
        List<StartupBenchmark.Added> pairs = StartupBenchmark.measure(jvm, jdk, settings, progress);
        Stats wall = Stats.of(pairs.stream().map(StartupBenchmark.Added::wallMillis).toList());
        Stats cpu = Stats.of(pairs.stream().map(StartupBenchmark.Added::cpuMillis).toList());
        String workload = "start-up of a JVM that opens and closes one loopback connection, then exits";
        detail(workload, jdk, "wall ms added, paired starts", wall.format("%+.1f"));
        detail(workload, jdk, "CPU ms added (user + system, all threads), paired starts", cpu.format("%+.1f"));
        results.add(workload, jdk, Text.format("%+.0f ms (CPU %+.0f ms)", wall.median(), cpu.median()),
            Map.of("addedMillis", wall.json(), "addedCpuMillis", cpu.json()));
      }
      case "syscalls" -> syscalls(jdk);
      case "probe-gap" -> probeGap(jdk);
      case "heap" -> {
        HeapBenchmark.Series with = HeapBenchmark.measure(jvm, jdk, settings.heapConnections(), progress);
        heap.add(with);
        results.add(Text.format("heap after GC over %,d connections, with the agent", settings.heapConnections()), jdk,
            with.firstToLast(), Map.of("kibPer100k", with.slopeKibPer100k(), "rangeKib", with.rangeKib(),
                "connections", with.connections(), "usedBytes", with.usedBytes()));
      }
      default -> throw new IllegalArgumentException(measurement); // Flags.subset allows only MEASUREMENTS
    }
  }

  /** A {@link PairedRun}: the ratio with / without, and for the unsafe close the µs added per close. */
  private void paired(Jdk jdk, String workload, AgentSetting setting, String row)
      throws IOException, InterruptedException {
    List<PairedRun.Pair> pairs = PairedRun.measure(jvm, jdk, workload, setting, settings, progress);
    Stats ratio = stats(pairs, PairedRun.Pair::ratio);
    Stats added = stats(pairs, PairedRun.Pair::addedMicros);
    Stats addedCpu = stats(pairs, PairedRun.Pair::addedCpuMicros);
    Stats cpuRatio = stats(pairs, PairedRun.Pair::cpuRatio);
    Stats without = stats(pairs, pair -> pair.without().perSecond());
    Stats cpuWithout = stats(pairs, pair -> pair.without().cpuMicrosPerOp());
    detail(row, jdk, "ratio with / without", ratio.format("%.3f"));
    detail(row, jdk, "ratio by the workload thread's CPU per operation, without / with", cpuRatio.format("%.3f"));
    detail(row, jdk, "µs of wall time added per operation", added.format("%+.2f"));
    detail(row, jdk, "µs of the workload thread's CPU added per operation", addedCpu.format("%+.2f"));
    detail(row, jdk, "operations/s without the agent", without.format("%.0f"));
    detail(row, jdk, "µs of the workload thread's CPU per operation without the agent", cpuWithout.format("%.2f"));
    Map<String, Object> numbers = Map.of("ratio", ratio.json(), "cpuRatio", cpuRatio.json(), "addedMicros",
        added.json(), "addedCpuMicros", addedCpu.json(), "perSecondWithout", without.json(), "cpuMicrosWithout",
        cpuWithout.json(), "agentOptions", setting.options());
    // On a shared CPU, wall time per operation is its CPU time over the share this side got: a
    // ratio cancels the share if both sides get the same, a difference in µs does not, so the
    // µs are the thread's CPU time; the CPU ratio is shown beside the rate ratio.
    results.add(row, jdk, workload.equals("unsafe-close") ? Text.format("%+.0f µs per close", addedCpu.median())
        : Text.format("%.3f (CPU %.3f)", ratio.median(), cpuRatio.median()), numbers);
  }

  private void syscalls(Jdk jdk) throws IOException, InterruptedException {
    SyscallCount.Counts without = SyscallCount.measure(jvm, jdk, null, settings.straceConnections());
    SyscallCount.Counts with = SyscallCount.measure(jvm, jdk, AgentSetting.DEFAULTS.options(), settings.straceConnections());
    SyscallCount.Counts java = SyscallCount.measure(jvm, jdk, AgentSetting.JAVA_PROBE.options(), settings.straceConnections());
    detail("churn under strace -f", jdk, "getsockopt, ioctl and recv calls added per close, whatever they ask",
        Text.format("%.3f with the agent, %.3f with probe=java", with.socketQueriesAddedPerClose(without),
            java.socketQueriesAddedPerClose(without)));
    syscallDetail(jdk, "without agent", without);
    syscallDetail(jdk, "with agent", with);
    syscallDetail(jdk, "with agent, probe=java", java);
    results.add("probe system calls per close (churn, strace)", jdk, Text.format("%.2f", with.probePerClose()),
        Map.of("with", with.probePerClose(), "without", without.probePerClose(), "probeJava", java.probePerClose(),
            "probeOnOtherThreads", with.probeElsewhere(), "socketQueriesAddedPerClose",
            with.socketQueriesAddedPerClose(without), "connections", with.connections()));
    results.add("system calls per connection on the workload's thread (churn, strace), with / without", jdk,
        Text.format("%.1f / %.1f", with.perConnection(), without.perConnection()),
        Map.of("with", with.perConnection(), "without", without.perConnection(), "probeJava", java.perConnection(),
            "otherThreadsWith", with.elsewherePerConnection(), "otherThreadsWithout", without.elsewherePerConnection(),
            "byNameWith", with.byName(), "byNameWithout", without.byName()));
  }

  /** The probe -> close(2) window under strace, for a close with a finding and a quiet one. */
  private void probeGap(Jdk jdk) throws IOException, InterruptedException {
    for (String workload : List.of("unsafe-close", "churn")) {
      ProbeGap.Gaps gaps = ProbeGap.measure(jvm, jdk, AgentSetting.DEFAULTS.options(), workload,
          settings.straceConnections());
      results.add("µs from the probe's last system call to close(2), median / p99 (" + workload + ", strace)", jdk,
          Text.format("%.1f / %.1f", gaps.median(), gaps.p99()),
          Map.of("median", gaps.median(), "p99", gaps.p99(), "closes", gaps.closes()));
    }
  }

  private void syscallDetail(Jdk jdk, String side, SyscallCount.Counts counts) {
    detail("churn under strace -f, " + side, jdk, "per connection",
        Text.format("%.2f system calls on the workload's thread (%.3f probe calls per close), %.2f on other threads"
            + " (%d probe calls in all); workload's thread by name: %s", counts.perConnection(), counts.probePerClose(),
            counts.elsewherePerConnection(), counts.probeElsewhere(), counts.byName()));
  }

  private static Stats stats(List<PairedRun.Pair> pairs, ToDoubleFunction<PairedRun.Pair> figure) {
    return Stats.of(pairs.stream().map(figure::applyAsDouble).toList());
  }

  private void detail(String workload, Jdk jdk, String what, String value) {
    out.println(Text.format("- %s, %s, %s: %s", workload, jdk.label(), what, value));
    out.flush();
  }

  private static boolean onPath(String program) {
    for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
        return true;
      }
    }
    return false;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }
}
