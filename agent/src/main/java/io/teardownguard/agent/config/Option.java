package io.teardownguard.agent.config;

import java.util.List;

/**
 * The agent's options: the one table of names, defaults and accepted values. Each is set as
 * {@code -javaagent:teardown-guard-agent.jar=key=value,key=value} ({@code key:value} also, the form
 * {@code jcmd JVMTI.agent_load} passes on) or by its environment variable
 * {@code TEARDOWN_GUARD_<KEY>}; an agent argument wins over the environment.
 */
public enum Option {
  REPORT("report", "", "a file path (%p: the process id)", null, 0, 0,
      "JSON Lines report file (mode 0600, size capped); none by default"),
  EVENTS("events", "findings", "findings, all", List.of("findings", "all"), 0, 0,
      "findings: one line per new finding; all: also one 'teardown' line per call"),
  SUMMARY("summary", "stderr", "stderr, off, or a file path (%p: the process id)", null, 0, 0,
      "where the exit summary goes"),
  REPORT_MAX_BYTES("reportMaxBytes", "67108864", "a whole number from 4096 to 17179869184", null, 4096, 17_179_869_184L,
      "report size cap; later events are counted as dropped"),
  STACK_DEPTH("stackDepth", "32", "a whole number from 1 to 256", null, 1, 256,
      "frames kept in a finding's stack"),
  TIME_WAIT_THRESHOLD("timeWaitThreshold", "500", "a whole number from 1 to 1000000000", null, 1, 1_000_000_000L,
      "active closes (this side holds TIME_WAIT) before SERVER_SIDE_TIME_WAIT is reported"),
  PROBE("probe", "auto", "auto, native, proc, java", List.of("auto", "native", "proc", "java"), 0, 0,
      "how the kernel's view is read: auto picks native, then /proc; java reads none (Java-level state only)"),
  METRICS("metrics", "", "prometheus:PORT, prometheus:HOST:PORT", null, 0, 0,
      "serves the teardown.* meters in Prometheus' text format at /metrics on 127.0.0.1:PORT (or HOST:PORT); none by default"),
  CACHE("cache", "auto", "auto, off, or an absolute directory path", null, 0, 0,
      "where the agent keeps the hooked JDK classes and its probe library between runs (mode 0700):"
          + " auto is $XDG_CACHE_HOME/teardown-guard or ~/.cache/teardown-guard; off derives them in every JVM");

  private final String key;
  private final String defaultValue;
  private final String accepted;
  /** The accepted words, or null for a path or a number. */
  private final List<String> choices;
  /** The accepted range of a number; min == max == 0 for a word or a path. */
  private final long min;
  private final long max;
  private final String description;

  Option(String key, String defaultValue, String accepted, List<String> choices, long min, long max,
      String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.accepted = accepted;
    this.choices = choices;
    this.min = min;
    this.max = max;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String accepted() {
    return accepted;
  }

  public String description() {
    return description;
  }

  /**
   * TEARDOWN_GUARD_REPORT, TEARDOWN_GUARD_REPORT_MAX_BYTES, ...: an underscore before each capital
   * of the key. By hand, not with a regular expression: the agent reads every option's variable
   * in premain, and compiling the pattern was a few ms of a short-lived JVM's start (issue 14).
   */
  public String environmentVariable() {
    StringBuilder name = new StringBuilder("TEARDOWN_GUARD_");
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(key.charAt(i - 1))) {
        name.append('_');
      }
      name.append(Character.toUpperCase(c));
    }
    return name.toString();
  }

  /** A file path (report, summary): its value may hold a ',' the agent argument cannot carry. */
  boolean isPath() {
    return choices == null && min == 0 && max == 0 && this != METRICS;
  }

  boolean accepts(String value) {
    if (this == METRICS) {
      return PrometheusTarget.parse(value) != null;
    }
    if (this == CACHE) {
      return value.equals("auto") || value.equals("off") || value.startsWith("/");
    }
    if (choices != null) {
      return choices.contains(value);
    }
    if (min == 0 && max == 0) {
      return !value.isEmpty();
    }
    try {
      long n = Long.parseLong(value);
      return n >= min && n <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static Option byKey(String key) {
    for (Option option : values()) {
      if (option.key.equals(key)) {
        return option;
      }
    }
    return null;
  }

  static String keys() {
    StringBuilder keys = new StringBuilder();
    for (Option option : values()) {
      keys.append(keys.length() == 0 ? "" : ", ").append(option.key);
    }
    return keys.toString();
  }
}
