package io.teardownguard.agent;

import io.teardownguard.agent.jdk.StartupClasses;
import java.lang.instrument.Instrumentation;

/**
 * The {@code -javaagent} and dynamic-attach entry points. They do one thing, and never throw:
 * a failed install is one line on stderr and the application runs on without the agent.
 */
public final class TeardownGuardAgent {
  private TeardownGuardAgent() {}

  public static void premain(String arguments, Instrumentation instrumentation) {
    StartupClasses.defineAll(instrumentation);
    TeardownGuard.installWith(instrumentation, arguments, false);
  }

  public static void agentmain(String arguments, Instrumentation instrumentation) {
    TeardownGuard.installWith(instrumentation, arguments, true);
  }
}
