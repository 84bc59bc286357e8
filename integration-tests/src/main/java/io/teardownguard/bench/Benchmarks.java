package io.teardownguard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The benchmark harness: runs the workloads in child JVMs with and without the agent, on each
 * JDK given, and prints Markdown tables (stdout) and progress (stderr). Run it through
 * {@code bin/tg bench}; docs/performance.md explains the method and holds the results.
 *
 * <pre>
 * --jdk HOME          a JDK to measure on, repeatable (default: the one running this)
 * --agent JAR         the agent jar (default agent/target/teardown-guard-agent.jar)
 * --rounds N          churn rounds per JDK, each running every setting once (default 7)
 * --warmup S          churn warm-up seconds before each measured window (default 5: with the
 *                     agent, C2 is still compiling its path about 4 s after start)
 * --seconds S         churn measured window, seconds (default 5)
 * --sources K         churn clients bind to 127.0.0.2 .. 127.0.0.(1+K) (default 0: no bind)
 * --connections N     connections of the heap run (default 1,000,000)
 * --starts N          start-up repetitions per JDK and setting (default 20)
 * --measure LIST      which of churn,split,startup,heap (default all)
 * </pre>
 */
public final class Benchmarks {
  static final List<String> MEASUREMENTS = List.of("churn", "split", "startup", "heap");
  private static final Set<String> FLAGS =
      Set.of("jdk", "agent", "rounds", "warmup", "seconds", "sources", "connections", "starts", "measure");

  private Benchmarks() {}

  public static void main(String[] args) throws InterruptedException {
    Settings settings;
    List<Jdk> jdks = new ArrayList<>();
    ChildJvm jvm;
    try {
      Flags flags = Flags.parse(args, FLAGS);
      settings = new Settings(
          flags.integer("rounds", 7, 1, 1000),
          flags.integer("warmup", 5, 0, 600),
          flags.integer("seconds", 5, 1, 600),
          flags.integer("sources", 0, 0, ChurnProtocol.MAX_SOURCES),
          flags.number("connections", 1_000_000, 1_000, 100_000_000),
          flags.integer("starts", 20, 1, 10_000),
          flags.subset("measure", MEASUREMENTS, Set.copyOf(MEASUREMENTS)));
      for (String home : flags.all("jdk").isEmpty() ? List.of(System.getProperty("java.home")) : flags.all("jdk")) {
        jdks.add(Jdk.at(Path.of(home)));
      }
      Path agent = Path.of(flags.text("agent", "agent/target/teardown-guard-agent.jar")).toAbsolutePath();
      if (!Files.isRegularFile(agent)) {
        throw new Flags.BadFlagException("--agent: no file at '" + agent + "'; build it first (bin/tg bench does)");
      }
      jvm = new ChildJvm(System.getProperty("java.class.path"), agent);
    } catch (Flags.BadFlagException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Interrupted (Ctrl-C, SIGTERM): the children go too, not only this JVM.
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly), "stop-children"));
    try {
      run(settings, jdks, jvm, System.out, System.err);
    } catch (IOException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(Settings settings, List<Jdk> jdks, ChildJvm jvm, PrintStream out, PrintStream progress)
      throws IOException, InterruptedException {
    out.println("## Machine");
    out.println();
    MachineInfo.describe(jdks).forEach(out::println);
    out.println("- agent: " + jvm.agentJar());
    out.println();
    for (Jdk jdk : jdks) {
      out.println("- " + AgentCheck.run(jvm, jdk));
    }
    if (settings.measurements().contains("churn")) {
      churn(settings, jdks, jvm, out, progress);
    }
    if (settings.measurements().contains("split")) {
      split(settings, jdks, jvm, out, progress);
    }
    if (settings.measurements().contains("startup")) {
      startup(settings, jdks, jvm, out, progress);
    }
    if (settings.measurements().contains("heap")) {
      heap(settings, jdks, jvm, out, progress);
    }
    out.println();
    out.println("Load average at end: " + MachineInfo.loadAverage());
  }

  private static void churn(Settings settings, List<Jdk> jdks, ChildJvm jvm, PrintStream out, PrintStream progress)
      throws IOException, InterruptedException {
    out.println();
    out.println(Text.format("## Churn, client and server in one JVM (%d rounds of %d s after %d s warm-up, %s)",
        settings.rounds(), settings.seconds(), settings.warmupSeconds(), sourcesText(settings.sources())));
    out.println();
    out.println(ChurnBenchmark.header());
    ChurnBenchmark benchmark = new ChurnBenchmark(jvm, settings, progress);
    for (Jdk jdk : jdks) {
      ChurnBenchmark.print(out, jdk, benchmark.measure(jdk));
    }
  }

  private static void split(Settings settings, List<Jdk> jdks, ChildJvm jvm, PrintStream out, PrintStream progress)
      throws IOException, InterruptedException {
    out.println();
    out.println(Text.format("## Churn, agent in the server JVM only, client in another JVM without it (%d rounds of %d s"
        + " after %d s warm-up)", settings.rounds(), settings.seconds(), settings.warmupSeconds()));
    out.println();
    out.println(Text.header(List.of("JDK", "rounds", "connections/s, server without agent", "ratio with/without, paired by round")));
    SplitChurnBenchmark benchmark = new SplitChurnBenchmark(jvm, settings, progress);
    for (Jdk jdk : jdks) {
      List<Double> without = new ArrayList<>();
      Spread ratio = Spread.of(benchmark.ratios(jdk, without));
      out.println(Text.row(List.of(jdk.label(), String.valueOf(ratio.count()), Spread.of(without).format("%.0f"),
          ratio.format("%.3f"))));
    }
  }

  private static void startup(Settings settings, List<Jdk> jdks, ChildJvm jvm, PrintStream out, PrintStream progress)
      throws IOException, InterruptedException {
    out.println();
    out.println("## Start-up, ProcessBuilder.start() to exit of a main that prints one line");
    out.println();
    out.println(StartupBenchmark.header());
    Path emptyAgentJar = Files.createTempFile("tg-bench-empty-agent", ".jar");
    try {
      StartupBenchmark.writeEmptyAgentJar(emptyAgentJar);
      StartupBenchmark benchmark = new StartupBenchmark(jvm, settings, progress, emptyAgentJar);
      for (Jdk jdk : jdks) {
        StartupBenchmark.print(out, jdk, benchmark.measure(jdk));
      }
    } finally {
      Files.deleteIfExists(emptyAgentJar);
    }
  }

  private static void heap(Settings settings, List<Jdk> jdks, ChildJvm jvm, PrintStream out, PrintStream progress)
      throws IOException, InterruptedException {
    HeapBenchmark benchmark = new HeapBenchmark(jvm, settings, progress);
    List<HeapBenchmark.Series> runs = new ArrayList<>();
    for (Jdk jdk : jdks) {
      for (AgentSetting setting : HeapBenchmark.SETTINGS) {
        runs.add(benchmark.measure(jdk, setting));
      }
    }
    out.println();
    out.println(Text.format("## Heap after System.gc(), %,d connections, %s, %s", settings.connections(),
        String.join(" ", HeapBenchmark.JVM_OPTIONS), sourcesText(HeapBenchmark.SOURCES)));
    out.println();
    HeapBenchmark.print(out, runs);
  }

  private static String sourcesText(int sources) {
    return sources == 0 ? "client source 127.0.0.1" : "client sources 127.0.0.2 .. 127.0.0." + (1 + sources);
  }
}
