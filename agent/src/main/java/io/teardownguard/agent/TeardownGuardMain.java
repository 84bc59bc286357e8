package io.teardownguard.agent;

import io.teardownguard.conformance.ConformanceCommand;
import java.util.Arrays;
import java.util.List;

/** {@code java -jar teardown-guard-agent.jar COMMAND ...}: the jar's command-line entry point. */
public final class TeardownGuardMain {
  private static final String USAGE = ConformanceCommand.USAGE;

  private TeardownGuardMain() {}

  public static void main(String[] args) {
    List<String> arguments = Arrays.asList(args);
    if (arguments.isEmpty() || arguments.get(0).equals("--help") || arguments.get(0).equals("help")) {
      System.out.println(USAGE);
      System.exit(arguments.isEmpty() ? 2 : 0);
    }
    if (!arguments.get(0).equals("conformance")) {
      System.err.println("teardown-guard: unknown command '" + arguments.get(0) + "'; accepted: conformance");
      System.err.println(USAGE);
      System.exit(2);
    }
    System.exit(new ConformanceCommand(System.out, System.err).run(arguments.subList(1, arguments.size())));
  }
}
