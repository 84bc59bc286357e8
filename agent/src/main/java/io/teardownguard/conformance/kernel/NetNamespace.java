package io.teardownguard.conformance.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the conformance suite in a private network namespace so that the kernel counters and
 * socket tables it reads hold only the suite's own traffic.
 *
 * <p>Protocol: the parent checks {@link #unavailableReason()}, starts {@link
 * #reexecCommand(List)} with {@code TG_PRIVATE_NETNS=1} added to the child's environment, and the
 * child (seeing {@link #inPrivateNamespace()}) calls {@link #bringUpLoopback()} first, because a
 * new namespace's {@code lo} starts down (drivers/net/loopback.c loopback_net_init registers it
 * without opening it).
 */
public final class NetNamespace {

  /** The variable the parent sets to "1" in the re-executed child's environment. */
  public static final String PRIVATE_NETNS_ENV = "TG_PRIVATE_NETNS";

  private NetNamespace() {}

  /** True in the child started through {@link #reexecCommand(List)}. */
  public static boolean inPrivateNamespace() {
    return "1".equals(System.getenv(PRIVATE_NETNS_ENV));
  }

  /** Empty when a private namespace can be created here, else a short human reason. */
  public static Optional<String> unavailableReason() {
    Optional<String> notRoot = HostTools.notRootReason();
    if (notRoot.isPresent()) {
      return notRoot;
    }
    if (HostTools.findExecutable("unshare").isEmpty()) {
      return Optional.of("unshare not found (apt-get install util-linux)");
    }
    if (HostTools.findExecutable("ip").isEmpty()) {
      return Optional.of("ip not found (apt-get install iproute2)");
    }
    return Optional.empty();
  }

  /** {@code javaCommand} prefixed with {@code unshare -n --}, which runs it in a new namespace. */
  public static List<String> reexecCommand(List<String> javaCommand) {
    List<String> command = new ArrayList<>();
    command.add(requireExecutable("unshare").toString());
    command.add("-n");
    command.add("--");
    command.addAll(javaCommand);
    return command;
  }

  /** Brings up {@code lo} in the current namespace; needed once, before any loopback socket. */
  public static void bringUpLoopback() throws IOException {
    HostTools.run(List.of("ip", "link", "set", "lo", "up"));
  }

  private static Path requireExecutable(String name) {
    return HostTools.findExecutable(name)
        .orElseThrow(
            () -> new IllegalStateException(name + " not found; check unavailableReason() first"));
  }
}
