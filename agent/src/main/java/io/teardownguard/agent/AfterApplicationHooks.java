package io.teardownguard.agent;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.Set;

/**
 * Runs the agent's exit work after the application's shutdown hooks have finished, so that the
 * closes they make (a server stopped in a hook) are reported. {@code Runtime.addShutdownHook}
 * cannot: its hooks all start at once, and the agent's would race the application's. The JDK's
 * {@code java.lang.Shutdown} runs ten system slots in order: 0 the console, 1 every application
 * hook (started, then joined), 2 {@code deleteOnExit}; the agent takes the last, through the
 * same {@code JavaLangAccess.registerShutdownHook} those use (JDK 17 and 25 alike).
 */
final class AfterApplicationHooks {
  private static final int LAST_SLOT = 9;

  private AfterApplicationHooks() {}

  /**
   * Registers {@code exit} to run in the last slot; where the JDK refuses (a slot taken by another
   * agent, say), as an ordinary shutdown hook, and says so: closes in the application's hooks may
   * then be missed.
   */
  static void register(Instrumentation instrumentation, Thread exit) {
    try {
      Module javaBase = Object.class.getModule();
      instrumentation.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.access",
          Set.of(AfterApplicationHooks.class.getModule())), Map.of(), Set.of(), Map.of());
      // Method handles to the two methods, not getMethod: Class.getMethod resolves the signature
      // of every public method of SharedSecrets and JavaLangAccess (a hundred-odd, loading the
      // classes they name), and on JDK 18+ Method.invoke spins method handles anyway (JEP 416);
      // that was some 20 ms of CPU in JDK 25's start-up (issue 14).
      Class<?> access = Class.forName("jdk.internal.access.JavaLangAccess");
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      Object javaLang = lookup.findStatic(Class.forName("jdk.internal.access.SharedSecrets"), "getJavaLangAccess",
          MethodType.methodType(access)).invoke();
      lookup.findVirtual(access, "registerShutdownHook",
              MethodType.methodType(void.class, int.class, boolean.class, Runnable.class))
          .invoke(javaLang, LAST_SLOT, false, (Runnable) exit);
    } catch (Throwable t) {
      System.err.println("teardown-guard: cannot run after the application's shutdown hooks (" + t
          + "); closes made in them may be missing from the summary");
      Runtime.getRuntime().addShutdownHook(exit);
    }
  }
}
