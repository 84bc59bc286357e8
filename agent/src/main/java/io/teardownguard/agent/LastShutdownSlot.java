package io.teardownguard.agent;

import jdk.internal.access.SharedSecrets;

/**
 * Runs the agent's exit work after the application's shutdown hooks have finished, so that the
 * closes they make (a server stopped in a hook) are reported. {@code Runtime.addShutdownHook}
 * cannot: its hooks all start at once, and the agent's would race the application's. The JDK's
 * {@code java.lang.Shutdown} runs ten system slots in order: 0 the console, 1 every application
 * hook (started, then joined), 2 {@code deleteOnExit}; the agent takes the last, through the
 * same {@code JavaLangAccess.registerShutdownHook} those use (JDK 17 and 25 alike).
 *
 * <p>Compiled on its own against {@code jdk.internal.access} (agent/pom.xml): the calls below are
 * plain invocations, resolved when they first run, after the package is exported to the agent.
 * Method handles to the two methods cost five LambdaForm classes spun at every start-up, some 7
 * to 14 ms of CPU (issue 14); {@code Class.getMethod} resolves the signature of every public
 * method of {@code SharedSecrets} and {@code JavaLangAccess}, and on JDK 18+ spins handles anyway.
 */
final class LastShutdownSlot {
  private static final int LAST_SLOT = 9;

  private LastShutdownSlot() {}

  /**
   * Registers {@code exit} to run in the last slot; where the JDK refuses (a slot taken by another
   * agent, say), as an ordinary shutdown hook, and says so: closes in the application's hooks may
   * then be missed. After {@code JdkSockets.openPackages}, which exports jdk.internal.access.
   */
  static void register(Thread exit) {
    try {
      SharedSecrets.getJavaLangAccess().registerShutdownHook(LAST_SLOT, false, exit);
    } catch (Throwable t) {
      System.err.println("teardown-guard: cannot run after the application's shutdown hooks (" + t
          + "); closes made in them may be missing from the summary");
      Runtime.getRuntime().addShutdownHook(exit);
    }
  }
}
