package io.teardownguard.conformance;

import io.teardownguard.agent.core.Observer;
import io.teardownguard.agent.jdk.JdkSockets;
import io.teardownguard.agent.probe.NativeSocketProbe;
import io.teardownguard.agent.probe.ProcNetSocketProbe;
import io.teardownguard.agent.probe.SocketProbe;
import io.teardownguard.conformance.scenario.ApiVariant;
import io.teardownguard.conformance.scenario.Scenario;
import io.teardownguard.conformance.scenario.ScenarioParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Runs scenarios (each once per API variant it names) against the oracles. */
public final class ConformanceSuite {
  /** Runs of one scenario when the machine's timing missed its premise (Comparison.premise). */
  private static final int ATTEMPTS = 5;

  private ConformanceSuite() {}

  /** Names of every scenario run, {@code file[api]}, in order. */
  public static List<String> runNames(List<Scenario> scenarios) {
    List<String> names = new ArrayList<>();
    for (Scenario scenario : scenarios) {
      for (ApiVariant variant : scenario.apis()) {
        names.add(runName(scenario, variant));
      }
    }
    return names;
  }

  /**
   * Runs the scenario runs whose file name or run name is in {@code selected} (all when empty),
   * reporting each result as it completes.
   */
  public static List<ScenarioResult> run(List<Scenario> scenarios, Set<String> selected,
      Oracles oracles, Network network, Consumer<ScenarioResult> progress) {
    List<ScenarioResult> results = new ArrayList<>();
    AgentParts agent = AgentParts.create();
    for (Scenario scenario : scenarios) {
      for (ApiVariant variant : scenario.apis()) {
        String name = runName(scenario, variant);
        if (!selected.isEmpty() && !selected.contains(scenario.name()) && !selected.contains(name)) {
          continue;
        }
        long started = System.nanoTime();
        Comparison comparison = new ScenarioRun(scenario, variant, oracles, network, agent.observer()).run();
        for (int attempt = 2; comparison.premiseMissed() && attempt <= ATTEMPTS; attempt++) {
          comparison = new ScenarioRun(scenario, variant, oracles, network, agent.observer()).run();
          comparison.explain("attempts", attempt);
        }
        ScenarioResult result = new ScenarioResult(name, scenario.description(), scenario.sources(),
            comparison.predicted(), comparison.observed(), comparison.mismatches(),
            (System.nanoTime() - started) / 1_000_000);
        results.add(result);
        progress.accept(result);
      }
    }
    return results;
  }

  /**
   * The agent's JDK handles and probe, and a new observer of them for each run, as the agent starts
   * with: the default path (the model's fields only; SO_LINGER read back only once the scenario
   * has set it, as the agent's hook would have told it), so the kernel checks what the agent does
   * by default. Needs java.base's sun.nio.ch, java.net and java.io open to this class, and
   * jdk.internal.misc exported (the jar's Add-Opens and Add-Exports, or the namespace child's flags).
   */
  private record AgentParts(JdkSockets jdk, SocketProbe probe) {
    static AgentParts create() {
      SocketProbe probe = NativeSocketProbe.load().<SocketProbe>map(p -> p).orElseGet(ProcNetSocketProbe::new);
      try {
        return new AgentParts(JdkSockets.create(), probe);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        throw new IllegalStateException("cannot read the JDK's sockets as the agent does (" + e
            + "); run with --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED"
            + " --add-opens java.base/java.io=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED", e);
      }
    }

    Observer observer() {
      return new Observer(jdk, probe, false);
    }
  }

  public static List<Scenario> bundled() {
    return ScenarioParser.bundled();
  }

  private static String runName(Scenario scenario, ApiVariant variant) {
    return scenario.name() + "[" + variant.fileName() + "]";
  }
}
