package io.teardownguard.conformance;

import io.teardownguard.conformance.kernel.NetNamespace;
import io.teardownguard.conformance.kernel.ProcNet;
import io.teardownguard.conformance.kernel.WireCapture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The independent observers a scenario is checked against, and which of them this run has.
 * The wire (tcpdump) and the MIB counters are trusted only in a private network namespace,
 * where nothing but the suite sends TCP; socket states and the peer's program always run.
 */
public final class Oracles implements AutoCloseable {
  /** One oracle and whether this run uses it. */
  public record Status(String name, boolean available, String detail) {}

  private final WireCapture wire;
  private final boolean counters;
  private final List<Status> statuses;

  private Oracles(WireCapture wire, boolean counters, List<Status> statuses) {
    this.wire = wire;
    this.counters = counters;
    this.statuses = List.copyOf(statuses);
  }

  /** Sets up every oracle this environment allows; says why for each one it cannot. */
  static Oracles open(Network network) throws IOException {
    List<Status> statuses = new ArrayList<>();
    boolean isolated = NetNamespace.inPrivateNamespace();
    String notIsolated = "not in a private network namespace (needs root and unshare: "
        + NetNamespace.unavailableReason().orElse("run as root") + ")";
    WireCapture wire = null;
    Optional<String> noTcpdump = WireCapture.unavailableReason();
    if (!isolated) {
      statuses.add(new Status("wire", false, "skipped: " + notIsolated));
    } else if (noTcpdump.isPresent()) {
      statuses.add(new Status("wire", false, "skipped: " + noTcpdump.get()));
    } else {
      wire = WireCapture.start(network.captureInterface());
      statuses.add(new Status("wire", true, "tcpdump on " + network.captureInterface()
          + " in a private network namespace; network: " + network.describe()));
    }
    statuses.add(isolated
        ? new Status("counters", true, "/proc/net/netstat TcpExt TCPAbortOn*, /proc/net/snmp Tcp OutRsts, of the"
            + " endpoint under test's namespace")
        : new Status("counters", false, "skipped: " + notIsolated));
    statuses.add(new Status("states", true, network.isLink()
        ? "/proc/net/tcp and tcp6 of each namespace (the peer's through /proc/PID/net)" : "/proc/net/tcp and /proc/net/tcp6"));
    statuses.add(new Status("peer", true, "what the peer program's reads, writes and connects return"));
    return new Oracles(wire, isolated, statuses);
  }

  public List<Status> statuses() {
    return statuses;
  }

  public boolean hasWire() {
    return wire != null;
  }

  public boolean hasCounters() {
    return counters;
  }

  /** A point in the capture; null without the wire oracle. */
  public WireCapture.Mark mark() throws IOException {
    return wire == null ? null : wire.mark();
  }

  public List<WireCapture.Segment> between(WireCapture.Mark from, WireCapture.Mark to) {
    return wire == null ? List.of() : wire.between(from, to);
  }

  public Map<String, Long> counters() throws IOException {
    return counters ? ProcNet.counters() : Map.of();
  }

  @Override
  public void close() {
    if (wire != null) {
      wire.close();
    }
  }
}
