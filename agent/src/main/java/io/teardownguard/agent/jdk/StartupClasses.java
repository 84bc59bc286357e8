package io.teardownguard.agent.jdk;

import java.lang.instrument.Instrumentation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;

/**
 * The classes the agent loads to observe a JVM's first close, defined at {@code premain} in one
 * go from one resource the build wrote ({@link StartupClassesBundle}), instead of one by one by
 * the system class loader: its class path search (every entry of the application's class path
 * first, then the agent's jar), the URL, code source and package of each class, and the JIT work
 * all that Java code causes cost about twice what the JVM's own definition of the same 76 classes
 * does (issue 14, docs/performance.md: +37 ms against +19 ms of CPU on JDK 25). Defined in the
 * same loader, package and protection domain as the jar's copies, so nothing tells them apart;
 * the loader finds them as it finds any class it has defined. A class defined already (those
 * premain loads first) is skipped, so a wrong order or a stale list costs time, never a class.
 *
 * <p>Only at {@code premain}: no other thread loads the agent's classes then. After a dynamic
 * attach the application's threads may, and a class they load while it is defined here would
 * fail in their hands; there the loader loads each as usual.
 */
public final class StartupClasses {
  static final String RESOURCE = "io/teardownguard/agent/jdk/startup-classes.bin";

  private StartupClasses() {}

  /**
   * Defines the bundled classes in this class's loader after exporting {@code jdk.internal.misc}
   * to it; never throws.
   *
   * @return how many were defined, or -1 if the bundle could not be read or defined
   */
  public static int defineAll(Instrumentation instrumentation) {
    try {
      JdkSockets.openPackages(instrumentation);
      byte[] bundle = AgentJar.read(RESOURCE);
      return bundle == null ? 0 : define(ByteBuffer.wrap(bundle));
    } catch (Throwable t) {
      return -1; // the loader loads each class as usual
    }
  }

  /** The bundle: a count, then each class's binary name (length-prefixed ASCII) and bytes (length-prefixed). */
  private static int define(ByteBuffer bundle) {
    ClassLoader loader = StartupClasses.class.getClassLoader();
    ProtectionDomain domain = StartupClasses.class.getProtectionDomain();
    int defined = 0;
    for (int count = bundle.getInt(); count > 0; count--) {
      byte[] name = new byte[bundle.getShort()];
      bundle.get(name);
      byte[] bytes = new byte[bundle.getInt()];
      bundle.get(bytes);
      try {
        JdkUnsafe.defineIn(loader, new String(name, StandardCharsets.ISO_8859_1), bytes, domain);
        defined++;
      } catch (LinkageError alreadyDefined) {
        // loaded before the bundle was read: the loader's copy stands
      }
    }
    return defined;
  }
}
