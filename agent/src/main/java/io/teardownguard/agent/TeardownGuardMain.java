package io.teardownguard.agent;

import io.teardownguard.agent.samples.SampleRunner;
import io.teardownguard.conformance.ConformanceCommand;
import java.util.Arrays;
import java.util.List;

/** {@code java -jar teardown-guard-agent.jar COMMAND ...}: the jar's command-line entry point. */
public final class TeardownGuardMain {
  private static final String USAGE = ConformanceCommand.USAGE + "\n" + SampleRunner.USAGE;

  private TeardownGuardMain() {}

  public static void main(String[] args) {
    List<String> arguments = Arrays.asList(args);
    if (arguments.isEmpty() || arguments.get(0).equals("--help") || arguments.get(0).equals("help")) {
      System.out.println(USAGE);
      System.exit(arguments.isEmpty() ? 2 : 0);
    }
    List<String> rest = arguments.subList(1, arguments.size());
    switch (arguments.get(0)) {
      case "conformance" -> System.exit(new ConformanceCommand(System.out, System.err).run(rest));
      case "samples" -> System.exit(new SampleRunner(System.out, System.err).run(rest));
      default -> {
        System.err.println("teardown-guard: unknown command '" + arguments.get(0) + "'; accepted: conformance, samples");
        System.err.println(USAGE);
        System.exit(2);
      }
    }
  }
}
