package io.teardownguard.bench;

/** With or without the agent, and with which options. Each child gets exactly one. */
enum AgentSetting {
  WITHOUT("without agent", null),
  /**
   * The agent, with SERVER_SIDE_TIME_WAIT out of the way: the churn server closes first on every
   * connection, and past the threshold one close in 1024 would walk its stack for that finding.
   */
  WITH("with agent", "summary=off,timeWaitThreshold=1000000000"),
  /** The agent as shipped: SERVER_SIDE_TIME_WAIT fires and is sampled. */
  WITH_DEFAULT_THRESHOLD("with agent, default timeWaitThreshold", "summary=off"),
  /** Hooks and model without the kernel probe: splits the cost between Java and system calls. */
  WITH_JAVA_PROBE("with agent, probe=java", "summary=off,timeWaitThreshold=1000000000,probe=java");

  private final String label;
  private final String options;

  AgentSetting(String label, String options) {
    this.label = label;
    this.options = options;
  }

  String label() {
    return label;
  }

  /** The {@code -javaagent} options, or null for no agent. */
  String options() {
    return options;
  }
}
