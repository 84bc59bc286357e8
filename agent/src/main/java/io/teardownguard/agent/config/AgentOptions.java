package io.teardownguard.agent.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The options in force, parsed from the agent argument and the environment. Bad input never
 * stops the application: each problem is one line to {@code warn} naming the option and what it
 * accepts, and the option keeps its default.
 */
public final class AgentOptions {
  /**
   * Each option's value by ordinal, null for its default. An array, not an EnumMap: EnumMap finds
   * its keys through a reflective call of {@code values()}, whose accessor the JVM then spins, in
   * every JVM's start-up (issue 14).
   */
  private final String[] values;

  private AgentOptions(String[] values) {
    this.values = values;
  }

  /**
   * @param argument the {@code -javaagent} argument ({@code key=value,key=value}; {@code key:value} also), may be null
   * @param environment environment lookup (System::getenv)
   * @param warn where one-line problems go
   */
  public static AgentOptions parse(String argument, Function<String, String> environment, Consumer<String> warn) {
    Option[] options = Option.values();
    String[] values = new String[options.length];
    for (Option option : options) {
      String fromEnvironment = environment.apply(option.environmentVariable());
      if (fromEnvironment != null) {
        set(values, option, fromEnvironment.strip(), option.environmentVariable(), warn);
      }
    }
    if (argument != null && !argument.isBlank()) {
      for (String[] pair : pairs(argument)) {
        Option option = pair[0] == null ? null : Option.byKey(pair[0]);
        if (pair[0] == null) {
          warn.accept(pair[1]);
        } else if (option == null) {
          warn.accept("teardown-guard: unknown agent option '" + pair[0] + "'; accepted: " + Option.keys());
        } else if (pair[1].indexOf(',') >= 0) {
          warn.accept("teardown-guard: " + option.key() + "=" + pair[1] + " is not valid: ',' separates agent options;"
              + " accepted: " + option.accepted() + " without ','; using " + shown(option.defaultValue()));
        } else {
          set(values, option, pair[1].strip(), option.key(), warn);
        }
      }
    }
    return new AgentOptions(values);
  }

  /**
   * Splits {@code key=value,key:value,...} into {key, value} pairs. {@code key:value} is the form
   * {@code jcmd PID JVMTI.agent_load JAR ...} passes on whole: HotSpot's diagnostic-command parser
   * splits an unquoted {@code key=value} argument and hands the agent only {@code key}. A piece
   * without either separator continues the value of a path option before it ({@code
   * report=a,b.jsonl}), so that the path is refused whole rather than cut at the comma. A pair
   * {null, line} is a problem, kept in its place so that the lines come in the argument's order.
   */
  private static List<String[]> pairs(String argument) {
    List<String[]> pairs = new ArrayList<>();
    for (String piece : argument.split(",")) {
      if (piece.isBlank()) {
        continue;
      }
      int separator = separator(piece);
      if (separator > 0) {
        pairs.add(new String[] {piece.substring(0, separator).strip(), piece.substring(separator + 1)});
        continue;
      }
      Option bare = Option.byKey(piece.strip());
      String[] previous = pairs.isEmpty() ? null : pairs.get(pairs.size() - 1);
      if (bare != null) {
        pairs.add(new String[] {null, "teardown-guard: agent option '" + bare.key() + "' has no value (jcmd"
            + " JVMTI.agent_load keeps only what precedes '=' in an unquoted argument: write " + bare.key()
            + ":VALUE); accepted: " + bare.accepted() + "; using " + shown(bare.defaultValue())});
      } else if (previous != null && previous[0] != null && Option.byKey(previous[0]) != null
          && Option.byKey(previous[0]).isPath()) {
        previous[1] = previous[1] + "," + piece;
      } else {
        pairs.add(new String[] {null, "teardown-guard: agent option '" + piece + "' is not key=value; ignored"});
      }
    }
    return pairs;
  }

  /** The first '=', or the first ':' when an option's name precedes it; -1 when neither. */
  private static int separator(String piece) {
    int equals = piece.indexOf('=');
    int colon = piece.indexOf(':');
    if (colon > 0 && (equals < 0 || colon < equals) && Option.byKey(piece.substring(0, colon).strip()) != null) {
      return colon;
    }
    return equals;
  }

  private static String shown(String defaultValue) {
    return defaultValue.isEmpty() ? "none" : defaultValue;
  }

  private static void set(String[] values, Option option, String value, String source, Consumer<String> warn) {
    if (option.accepts(value)) {
      values[option.ordinal()] = value;
    } else {
      warn.accept("teardown-guard: " + source + "=" + value + " is not valid; accepted: " + option.accepted()
          + "; using " + shown(option.defaultValue()));
    }
  }

  public String get(Option option) {
    String value = values[option.ordinal()];
    return value != null ? value : option.defaultValue();
  }

  /**
   * A path option's value with {@code %p} replaced by this process's id, as the JVM's own
   * {@code -Xlog:...:file=} and {@code -XX:HeapDumpPath} do: one name per process for JVMs that
   * share a command line.
   */
  public Path path(Option option) {
    return Path.of(get(option).replace("%p", Long.toString(ProcessHandle.current().pid())));
  }

  public long number(Option option) {
    return Long.parseLong(get(option));
  }

  /** The Prometheus endpoint asked for, or null (the default: none). */
  public PrometheusTarget prometheus() {
    String metrics = get(Option.METRICS);
    return metrics.isEmpty() ? null : PrometheusTarget.parse(metrics);
  }

  public boolean allEvents() {
    return get(Option.EVENTS).equals("all");
  }
}
