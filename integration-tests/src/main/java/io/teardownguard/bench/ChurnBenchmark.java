package io.teardownguard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Measurement 1: churn throughput with client and server in one JVM, so the agent handles both
 * closes of every connection. Each round runs every setting once, in an order rotated by round,
 * and the ratio is taken within the round: a burst of other work on the machine then hits
 * both sides of a ratio more often than one.
 */
final class ChurnBenchmark {
  static final List<AgentSetting> SETTINGS = List.of(AgentSetting.WITHOUT, AgentSetting.WITH,
      AgentSetting.WITH_DEFAULT_THRESHOLD, AgentSetting.WITH_JAVA_PROBE);

  private final ChildJvm jvm;
  private final Settings settings;
  private final PrintStream progress;

  ChurnBenchmark(ChildJvm jvm, Settings settings, PrintStream progress) {
    this.jvm = jvm;
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs every round on one JDK; returns each setting's runs in round order. */
  Map<AgentSetting, List<ChurnRun>> measure(Jdk jdk) throws IOException, InterruptedException {
    Map<AgentSetting, List<ChurnRun>> runs = new EnumMap<>(AgentSetting.class);
    for (int round = 0; round < settings.rounds(); round++) {
      StringBuilder line = new StringBuilder(Text.format("churn %s round %d/%d:", jdk.label(), round + 1, settings.rounds()));
      for (AgentSetting setting : Rotation.of(SETTINGS, round)) {
        String what = "churn on " + jdk.label() + " " + setting.label();
        List<String> command = jvm.command(jdk, setting, Settings.CHURN_JVM_OPTIONS, ChurnWorkload.class, settings.timedArgs());
        ChurnRun run = ChurnRun.parse(what, jvm.run(what, command, settings.churnTimeoutSeconds()).stdout());
        runs.computeIfAbsent(setting, k -> new ArrayList<>()).add(run);
        line.append(Text.format(" %s %.0f/s;", setting.name().toLowerCase(java.util.Locale.ROOT), run.perSecond()));
      }
      progress.println(line);
    }
    return runs;
  }

  /** One table row per setting: throughput, the paired ratio to no agent, CPU per connection. */
  static void print(PrintStream out, Jdk jdk, Map<AgentSetting, List<ChurnRun>> runs) {
    List<ChurnRun> without = runs.get(AgentSetting.WITHOUT);
    for (Map.Entry<AgentSetting, List<ChurnRun>> entry : runs.entrySet()) {
      List<ChurnRun> these = entry.getValue();
      List<Double> rates = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      List<Double> cpu = new ArrayList<>();
      List<Double> addedCpu = new ArrayList<>();
      for (int round = 0; round < these.size(); round++) {
        ChurnRun run = these.get(round);
        rates.add(run.perSecond());
        ratios.add(run.perSecond() / without.get(round).perSecond());
        cpu.add(run.cpuMicrosPerConnection());
        addedCpu.add(run.cpuMicrosPerConnection() - without.get(round).cpuMicrosPerConnection());
      }
      boolean baseline = entry.getKey() == AgentSetting.WITHOUT;
      out.println(Text.row(List.of(jdk.label(), entry.getKey().label(), String.valueOf(these.size()),
          Spread.of(rates).format("%.0f"),
          baseline ? "1" : Spread.of(ratios).format("%.3f"),
          Spread.of(cpu).format("%.1f"),
          baseline ? "0" : Spread.of(addedCpu).format("%+.1f"))));
    }
  }

  static String header() {
    return Text.header(List.of("JDK", "setting", "rounds", "connections/s median (min .. max)",
        "ratio to without, paired by round", "CPU µs per connection", "added CPU µs per connection"));
  }
}
