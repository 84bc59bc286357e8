package io.teardownguard.conformance.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A veth pair from this network namespace to a peer process's namespace, with a {@code tbf}
 * bandwidth limit on our side's egress, so that what we write is still in flight (in the qdisc, or
 * not yet sent) when the call under test runs. tbf, not netem: this kernel has sch_tbf and veth but
 * no sch_netem. The addresses are private to the two namespaces, which the suite made and which
 * vanish with it (a namespace's veth end goes with the namespace).
 */
public final class VethLink {
  /** Our end's name; the namespace is ours alone, so the name cannot clash. */
  public static final String LOCAL_INTERFACE = "tgl0";
  private static final String PEER_INTERFACE = "tgp0";
  public static final String LOCAL_ADDRESS = "10.231.0.1";
  public static final String PEER_ADDRESS = "10.231.0.2";
  private static final String PREFIX = "/30";
  /**
   * 512 kbit/s: 64 bytes a millisecond, so 40,000 bytes take 625 ms to leave, twenty steps of
   * the suite (30 ms); the bucket holds two full-sized frames and the queue 1 MB, so nothing is dropped.
   */
  public static final String RATE = "512kbit";
  private static final String BURST = "3028";
  private static final String LIMIT = "1000000";
  private static final Path DEVICES = Path.of("/proc/net/dev");

  private VethLink() {}

  /** Empty when a link can be made here, else a short human reason. */
  public static Optional<String> unavailableReason() {
    Optional<String> notRoot = HostTools.notRootReason();
    if (notRoot.isPresent()) {
      return notRoot;
    }
    for (String tool : List.of("ip", "tc", "nsenter", "unshare")) {
      if (HostTools.findExecutable(tool).isEmpty()) {
        return Optional.of(tool + " not found (apt-get install iproute2 util-linux)");
      }
    }
    return Optional.empty();
  }

  /** Joins this namespace to the namespace of process {@code peerPid} and limits our egress. */
  public static void create(long peerPid) throws IOException {
    String pid = Long.toString(peerPid);
    HostTools.run(List.of("ip", "link", "add", LOCAL_INTERFACE, "type", "veth", "peer", "name", PEER_INTERFACE,
        "netns", pid));
    HostTools.run(List.of("ip", "addr", "add", LOCAL_ADDRESS + PREFIX, "dev", LOCAL_INTERFACE));
    HostTools.run(List.of("ip", "link", "set", LOCAL_INTERFACE, "up"));
    HostTools.run(List.of("nsenter", "-t", pid, "-n", "ip", "addr", "add", PEER_ADDRESS + PREFIX, "dev",
        PEER_INTERFACE));
    HostTools.run(List.of("nsenter", "-t", pid, "-n", "ip", "link", "set", PEER_INTERFACE, "up"));
    // The peer connects to its own listener (the full accept queue of 'connecting') over its lo.
    HostTools.run(List.of("nsenter", "-t", pid, "-n", "ip", "link", "set", "lo", "up"));
    HostTools.run(List.of("tc", "qdisc", "add", "dev", LOCAL_INTERFACE, "root", "tbf", "rate", RATE, "burst", BURST,
        "limit", LIMIT));
  }

  /** One line for the report: what the link is. */
  public static String describe() {
    return "veth " + LOCAL_ADDRESS + " <-> " + PEER_ADDRESS + " (peer in its own network namespace), tbf rate "
        + RATE + " on " + LOCAL_INTERFACE + " egress";
  }

  /**
   * Waits until no packet has crossed our end for {@code quietMillis} (at most {@code maxMillis}):
   * what was in flight has been delivered, or is held by the peer's window. /proc/net/dev, not
   * /sys/class/net: sysfs shows the namespace it was mounted in, /proc/net the reader's.
   */
  public static void awaitQuiet(long quietMillis, long maxMillis) throws IOException {
    long deadline = System.currentTimeMillis() + maxMillis;
    long packets = packets();
    long quietSince = System.currentTimeMillis();
    while (System.currentTimeMillis() < deadline) {
      sleep(Math.min(quietMillis / 4, 20));
      long now = packets();
      if (now != packets) {
        packets = now;
        quietSince = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - quietSince >= quietMillis) {
        return;
      }
    }
  }

  /** Packets received plus sent on our end, from /proc/net/dev. */
  private static long packets() throws IOException {
    for (String line : Files.readAllLines(DEVICES)) {
      String trimmed = line.trim();
      if (trimmed.startsWith(LOCAL_INTERFACE + ":")) {
        // "tgl0: rx_bytes rx_packets errs drop fifo frame compressed multicast tx_bytes tx_packets ..."
        String[] fields = trimmed.substring(LOCAL_INTERFACE.length() + 1).trim().split("\\s+");
        return Long.parseLong(fields[1]) + Long.parseLong(fields[9]);
      }
    }
    throw new IOException(LOCAL_INTERFACE + " not in " + DEVICES);
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
