package io.teardownguard.agent;

import io.teardownguard.agent.config.Option;
import io.teardownguard.agent.samples.SampleRunner;
import io.teardownguard.conformance.ConformanceCommand;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code java -jar teardown-guard-agent.jar COMMAND ...}: the jar's command-line entry point. The
 * jar is mostly an agent, so a user who runs it without a command is shown how to load it
 * ({@code -javaagent}, or {@code jcmd} into a running JVM) and its options, then the commands.
 */
public final class TeardownGuardMain {
  /** Exit code of a command line that names no command or an unknown one: 2, as shells' builtins and most tools use. */
  private static final int USAGE_ERROR = 2;

  private TeardownGuardMain() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  static int run(List<String> arguments, PrintStream out, PrintStream err) {
    if (arguments.isEmpty()) {
      out.print(usage());
      return USAGE_ERROR;
    }
    List<String> rest = arguments.subList(1, arguments.size());
    switch (arguments.get(0)) {
      case "conformance":
        return new ConformanceCommand(out, err).run(rest);
      case "samples":
        return new SampleRunner(out, err).run(rest);
      case "help", "--help", "-h":
        out.print(usage());
        return 0;
      default:
        err.println("teardown-guard: unknown command '" + arguments.get(0) + "'; accepted: conformance, samples, help");
        err.print(usage());
        return USAGE_ERROR;
    }
  }

  /** What the jar is for, first as an agent, then as a command; options rendered from {@link Option}. */
  static String usage() {
    String jar = jarPath();
    StringBuilder text = new StringBuilder()
        .append("Teardown Guard: reports socket teardowns that reset connections, lose data or pile up TIME_WAIT.\n")
        .append("\n")
        .append("Load it as an agent when the JVM starts, or into a running one with jcmd (JDK 21+ warns then,\n")
        .append("unless the JVM was started with -XX:+EnableDynamicAgentLoading; jcmd needs the options in \"\"):\n")
        .append("  java -javaagent:").append(jar).append("=report=/tmp/tg.jsonl -jar your-app.jar\n")
        .append("  jcmd PID JVMTI.agent_load ").append(jar).append(" '\"report=/tmp/tg.jsonl\"'\n")
        .append("\n")
        .append("Agent options, key=value separated by commas (or the environment variable TEARDOWN_GUARD_<KEY>):\n");
    for (Option option : Option.values()) {
      text.append(String.format(Locale.ROOT, "  %-18s %s%n", option.key(), option.description()));
      text.append(String.format(Locale.ROOT, "  %-18s accepted: %s%s%n", "", option.accepted(),
          option.defaultValue().isEmpty() ? "" : "; default " + option.defaultValue()));
    }
    return text
        .append("\n")
        .append("Commands:\n")
        .append("  conformance   checks the model against this machine's kernel (as root: tcpdump in a private network namespace)\n")
        .append("    ").append(ConformanceCommand.USAGE).append("\n")
        .append("  samples       runs the sample apps under the agent and checks what it finds\n")
        .append("    ").append(SampleRunner.USAGE).append("\n")
        .append("  help          this text\n")
        .toString();
  }

  /** This jar's path as the user can paste it, or its name if the class was not loaded from a jar. */
  private static String jarPath() {
    try {
      Path location = Path.of(TeardownGuardMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return location.toString().endsWith(".jar") ? location.toString() : "teardown-guard-agent.jar";
    } catch (URISyntaxException | RuntimeException unknown) {
      return "teardown-guard-agent.jar";
    }
  }
}
