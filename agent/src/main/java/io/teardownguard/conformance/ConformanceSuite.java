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
    Observer observer = agentObserver();
    for (Scenario scenario : scenarios) {
      for (ApiVariant variant : scenario.apis()) {
        String name = runName(scenario, variant);
        if (!selected.isEmpty() && !selected.contains(scenario.name()) && !selected.contains(name)) {
          continue;
        }
        long started = System.nanoTime();
        Comparison comparison = new ScenarioRun(scenario, variant, oracles, network, observer).run();
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
   * The agent's own observer, reading every field (SO_LINGER too, which no hook saw set here): the
   * scenarios' predictions come from the path the agent's hooks run. Needs java.base's sun.nio.ch,
   * java.net and java.io open to this class (the jar's Add-Opens, or the namespace child's flags).
   */
  private static Observer agentObserver() {
    SocketProbe probe = NativeSocketProbe.load().<SocketProbe>map(p -> p).orElseGet(ProcNetSocketProbe::new);
    try {
      return new Observer(JdkSockets.create(), probe, true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read the JDK's sockets as the agent does (" + e
          + "); run with --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED"
          + " --add-opens java.base/java.io=ALL-UNNAMED", e);
    }
  }

  public static List<Scenario> bundled() {
    return ScenarioParser.bundled();
  }

  private static String runName(Scenario scenario, ApiVariant variant) {
    return scenario.name() + "[" + variant.fileName() + "]";
  }
}
