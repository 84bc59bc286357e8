package io.teardownguard.bench;

import java.lang.instrument.Instrumentation;

/**
 * An agent that does nothing: its start-up cost is what the JVM charges any {@code -javaagent}
 * (opening the jar, starting java.instrument), the floor under Teardown Guard's own.
 */
public final class EmptyAgent {
  private EmptyAgent() {}

  public static void premain(String arguments, Instrumentation instrumentation) {
    // nothing: that is the point
  }
}
