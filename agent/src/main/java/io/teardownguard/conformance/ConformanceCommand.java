package io.teardownguard.conformance;

import io.teardownguard.conformance.kernel.NetNamespace;
import io.teardownguard.conformance.kernel.VethLink;
import io.teardownguard.conformance.scenario.Scenario;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code conformance [--link veth] [--json FILE] [--scenario NAME]... [--list]}: runs the model
 * against this machine's kernel. As root it re-runs itself under {@code unshare -n}, so that
 * tcpdump and the MIB counters see only the suite's own traffic. With {@code --link veth} the peer
 * runs in a second namespace behind a rate-limited veth pair ({@link Network#veth()}).
 */
public final class ConformanceCommand {
  public static final String USAGE =
      "usage: java -jar teardown-guard-agent.jar conformance [--link veth] [--json FILE] [--scenario NAME]... [--list]";
  private static final String LINK_VETH = "veth";

  private final PrintStream out;
  private final PrintStream err;

  public ConformanceCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs the command; returns the exit code (0 only when every scenario agrees). */
  public int run(List<String> args) {
    Path json = null;
    boolean link = false;
    Set<String> selected = new LinkedHashSet<>();
    boolean list = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--link" -> {
          if (i + 1 >= args.size() || !args.get(i + 1).equals(LINK_VETH)) {
            return usageError("option --link takes one value; accepted: " + LINK_VETH);
          }
          i++;
          link = true;
        }
        case "--json", "--scenario" -> {
          if (i + 1 >= args.size()) {
            return usageError("option " + arg + " needs a value");
          }
          String value = args.get(++i);
          if (arg.equals("--json")) {
            json = Path.of(value);
          } else {
            selected.add(value);
          }
        }
        case "--list" -> list = true;
        default -> {
          return usageError("unknown option '" + arg + "'; accepted: --link veth, --json FILE, --scenario NAME, --list");
        }
      }
    }
    List<Scenario> scenarios = ConformanceSuite.bundled();
    List<String> runNames = ConformanceSuite.runNames(scenarios);
    if (list) {
      runNames.forEach(out::println);
      return 0;
    }
    for (String name : selected) {
      boolean known = runNames.contains(name) || scenarios.stream().anyMatch(s -> s.name().equals(name));
      if (!known) {
        return usageError("unknown scenario '" + name + "'; --list shows them");
      }
    }
    if (link && VethLink.unavailableReason().isPresent()) {
      err.println("teardown-guard: conformance: --link veth needs root, ip, tc, nsenter and unshare: "
          + VethLink.unavailableReason().get());
      return 2;
    }
    if (!NetNamespace.inPrivateNamespace() && NetNamespace.unavailableReason().isEmpty()) {
      return rerunInPrivateNamespace(args);
    }
    return runHere(scenarios, selected, json, link);
  }

  private int runHere(List<Scenario> scenarios, Set<String> selected, Path json, boolean link) {
    long started = System.nanoTime();
    try {
      if (NetNamespace.inPrivateNamespace()) {
        NetNamespace.bringUpLoopback();
      }
      try (Network network = link ? Network.veth() : Network.loopback();
          Oracles oracles = Oracles.open(network)) {
        out.println("network: " + network.describe());
        for (Oracles.Status oracle : oracles.statuses()) {
          out.println("oracle " + oracle.name() + ": " + (oracle.available() ? "on, " : "") + oracle.detail());
        }
        List<Scenario> here = new ArrayList<>();
        for (Scenario scenario : scenarios) {
          if (scenario.runsOn(network.name())) {
            here.add(scenario);
          } else if (selected.isEmpty() || selected.contains(scenario.name())) {
            out.printf(Locale.ROOT, "skip      %-60s only on network=%s%n", scenario.name(),
                scenario.setupValue("network", ""));
          }
        }
        List<ScenarioResult> results = ConformanceSuite.run(here, selected, oracles, network, this::printResult);
        long agreed = results.stream().filter(ScenarioResult::agrees).count();
        out.printf(Locale.ROOT, "conformance: %d/%d scenarios agree on %s (JDK %s, %s %s) in %.1f s%n",
            agreed, results.size(), network.name(), Runtime.version(), System.getProperty("os.name"),
            System.getProperty("os.version"), (System.nanoTime() - started) / 1e9);
        if (json != null) {
          ConformanceReport.write(json, network.name(), oracles.statuses(), results);
          out.println("conformance: wrote " + json);
        }
        return agreed == results.size() && !results.isEmpty() ? 0 : 1;
      }
    } catch (IOException e) {
      err.println("teardown-guard: conformance: " + e.getMessage());
      return 1;
    }
  }

  private void printResult(ScenarioResult result) {
    if (result.agrees()) {
      out.printf(Locale.ROOT, "agree     %-60s %5d ms%n", result.name(), result.millis());
    } else {
      out.printf(Locale.ROOT, "DISAGREE  %-60s %s%n", result.name(), String.join("; ", result.mismatches()));
    }
  }

  private int rerunInPrivateNamespace(List<String> args) {
    try {
      List<String> java = new ArrayList<>();
      java.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      // An agent this JVM runs with (Teardown Guard checking itself) must run in the child too.
      ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(a -> a.startsWith("-javaagent:"))
          .forEach(java::add);
      // The agent's observer reads the JDK's socket fields (the jar's Add-Opens and Add-Exports
      // do it for java -jar).
      for (String open : List.of("sun.nio.ch", "java.net", "java.io", "java.nio.channels.spi")) {
        java.add("--add-opens");
        java.add("java.base/" + open + "=ALL-UNNAMED");
      }
      java.add("--add-exports");
      java.add("java.base/jdk.internal.misc=ALL-UNNAMED");
      java.add("-cp");
      java.add(Path.of(ConformanceCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      java.add("io.teardownguard.agent.TeardownGuardMain");
      java.add("conformance");
      java.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(NetNamespace.reexecCommand(java)).inheritIO();
      builder.environment().put(NetNamespace.PRIVATE_NETNS_ENV, "1");
      out.println("conformance: running in a private network namespace (unshare -n)");
      return builder.start().waitFor();
    } catch (IOException | URISyntaxException e) {
      err.println("teardown-guard: conformance: could not enter a private network namespace (" + e.getMessage()
          + "); wire and counter oracles are skipped");
      return runHere(ConformanceSuite.bundled(), Set.of(), null, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private int usageError(String message) {
    err.println("teardown-guard: conformance: " + message);
    err.println(USAGE);
    return 2;
  }
}
