package io.teardownguard.conformance;

import io.teardownguard.conformance.kernel.NetNamespace;
import io.teardownguard.conformance.kernel.ProcNet;
import io.teardownguard.conformance.kernel.VethLink;
import io.teardownguard.conformance.peer.Peer;
import io.teardownguard.conformance.peer.PeerMain;
import io.teardownguard.conformance.peer.PeerProcess;
import io.teardownguard.conformance.peer.PeerSockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where scenarios run. {@code loopback}: both ends in this JVM, in one namespace, where every
 * segment arrives at once. {@code veth}: the peer in a child JVM in a second namespace, joined to
 * ours by a veth pair with a bandwidth limit ({@link VethLink}), so that data is in flight when the
 * call under test runs; each namespace then has its own socket table and counters.
 */
final class Network implements AutoCloseable {
  /** Loopback answers within microseconds; this leaves the peer's kernel time to react. */
  private static final long LOOPBACK_SETTLE_MILLIS = 30;
  /**
   * On the link: settled once nothing crossed it for this long (at 512 kbit/s a full frame takes
   * 24 ms; the retransmission timer's floor, TCP_RTO_MIN, is 200 ms and is not waited for).
   */
  private static final long LINK_QUIET_MILLIS = 150;
  private static final long LINK_SETTLE_MAX_MILLIS = 10_000;

  private final String name;
  private final InetAddress localAddress;
  private final Peer peer;
  private final long peerPid;

  private Network(String name, InetAddress localAddress, Peer peer, long peerPid) {
    this.name = name;
    this.localAddress = localAddress;
    this.peer = peer;
    this.peerPid = peerPid;
  }

  static Network loopback() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    return new Network("loopback", loopback, new PeerSockets(loopback), -1);
  }

  /**
   * Starts the peer's JVM in a new network namespace ({@code unshare -n}, which execs java in
   * place, so the process id is the namespace's) and joins it to ours.
   */
  static Network veth() throws IOException {
    PeerProcess.Started started = PeerProcess.start(NetNamespace.reexecCommand(List.of(
        ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
        "-cp", codeSource(), PeerMain.class.getName(), VethLink.PEER_ADDRESS)));
    try {
      VethLink.create(started.pid());
    } catch (IOException e) {
      started.peer().close();
      throw e;
    }
    return new Network("veth", InetAddress.getByName(VethLink.LOCAL_ADDRESS), started.peer(), started.pid());
  }

  String name() {
    return name;
  }

  boolean isLink() {
    return peerPid >= 0;
  }

  /** What the report says the scenarios ran over. */
  String describe() {
    return isLink() ? VethLink.describe() : "loopback, both ends in one namespace";
  }

  /** The address the endpoint or listener under test binds to. */
  InetAddress localAddress() {
    return localAddress;
  }

  Peer peer() {
    return peer;
  }

  /** The interface tcpdump listens on: on the link, every interface, for the markers go over lo. */
  String captureInterface() {
    return isLink() ? "any" : "lo";
  }

  /** Waits until what a step put in flight has arrived (or is held by the peer's window). */
  void settle() throws IOException {
    if (isLink()) {
      VethLink.awaitQuiet(LINK_QUIET_MILLIS, LINK_SETTLE_MAX_MILLIS);
    } else {
      sleepQuietly(LOOPBACK_SETTLE_MILLIS);
    }
  }

  /**
   * Sockets of the peer's namespace that our own table does not show: on the link, its own table
   * ({@code /proc/PID/net/tcp*}); on loopback none, as both ends share one table.
   */
  List<ProcNet.TcpSocket> peerOnlySockets() throws IOException {
    return isLink() ? ProcNet.tcpSocketsOf(peerPid) : List.of();
  }

  @Override
  public void close() throws IOException {
    peer.close();
  }

  private static String codeSource() throws IOException {
    try {
      return Path.of(Network.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate the suite's own classes", e);
    }
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.teardownguard.conformance.scenario.ScenarioException("interrupted", e);
    }
  }
}
