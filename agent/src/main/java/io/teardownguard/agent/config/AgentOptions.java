package io.teardownguard.agent.config;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The options in force, parsed from the agent argument and the environment. Bad input never
 * stops the application: each problem is one line to {@code warn} naming the option and what it
 * accepts, and the option keeps its default.
 */
public final class AgentOptions {
  private final Map<Option, String> values;

  private AgentOptions(Map<Option, String> values) {
    this.values = values;
  }

  /**
   * @param argument the {@code -javaagent} argument ({@code key=value,key=value}), may be null
   * @param environment environment lookup (System::getenv)
   * @param warn where one-line problems go
   */
  public static AgentOptions parse(String argument, Function<String, String> environment, Consumer<String> warn) {
    Map<Option, String> values = new EnumMap<>(Option.class);
    for (Option option : Option.values()) {
      String fromEnvironment = environment.apply(option.environmentVariable());
      if (fromEnvironment != null) {
        set(values, option, fromEnvironment.strip(), option.environmentVariable(), warn);
      }
    }
    if (argument != null && !argument.isBlank()) {
      for (String pair : argument.split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          warn.accept("teardown-guard: agent option '" + pair + "' is not key=value; ignored");
          continue;
        }
        String key = pair.substring(0, eq).strip();
        Option option = Option.byKey(key);
        if (option == null) {
          warn.accept("teardown-guard: unknown agent option '" + key + "'; accepted: " + Option.keys());
          continue;
        }
        set(values, option, pair.substring(eq + 1).strip(), option.key(), warn);
      }
    }
    return new AgentOptions(values);
  }

  private static void set(Map<Option, String> values, Option option, String value, String source, Consumer<String> warn) {
    if (option.accepts(value)) {
      values.put(option, value);
    } else {
      warn.accept("teardown-guard: " + source + "=" + value + " is not valid; accepted: " + option.accepted()
          + "; using " + (option.defaultValue().isEmpty() ? "none" : option.defaultValue()));
    }
  }

  public String get(Option option) {
    return values.getOrDefault(option, option.defaultValue());
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
