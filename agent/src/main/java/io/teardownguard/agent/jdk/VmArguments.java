package io.teardownguard.agent.jdk;

import jdk.internal.misc.VM;

/**
 * The JVM's own arguments, as HotSpot took them from {@code JAVA_TOOL_OPTIONS}, the launcher's
 * command line and {@code _JAVA_OPTIONS} ({@code jdk.internal.misc.VM}, exported to the agent with
 * {@link JdkUnsafe}'s package): one native call, where {@code RuntimeMXBean} would start the
 * platform's management classes. Compiled on its own against {@code jdk.internal.misc}
 * (agent/pom.xml).
 */
public final class VmArguments {
  private VmArguments() {}

  /** Whether the JVM was started with an argument that begins with {@code prefix}. */
  public static boolean anyStartsWith(String prefix) {
    for (String argument : VM.getRuntimeArguments()) {
      if (argument.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
