package io.teardownguard.bench;

/** The agent's options on the "with" side of a comparison. */
enum AgentSetting {
  /** As shipped, but for the exit summary (it would go to stderr, which must stay empty). */
  DEFAULTS("summary=off"),
  /** Hooks and model without the kernel probe: the Java side's cost alone. */
  JAVA_PROBE("summary=off,probe=java");

  private final String options;

  AgentSetting(String options) {
    this.options = options;
  }

  String options() {
    return options;
  }
}
