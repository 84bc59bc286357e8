package io.teardownguard.conformance;

import io.teardownguard.conformance.kernel.ProcNet;
import io.teardownguard.model.TcpState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Looks up one connection or listener in /proc/net/tcp{,6}: the oracles' view after the call, and
 * the socket before a call the JDK refuses (which the agent does not observe).
 */
final class ProcView {
  private ProcView() {}

  static Optional<ProcNet.TcpSocket> connection(InetSocketAddress local, InetSocketAddress remote)
      throws IOException {
    return ProcNet.tcpSockets().stream()
        .filter(s -> s.local().equals(local) && s.remote().equals(remote))
        .findFirst();
  }

  static Optional<ProcNet.TcpSocket> listener(InetSocketAddress address) throws IOException {
    return ProcNet.tcpSockets().stream()
        .filter(s -> s.local().equals(address) && s.state() == TcpState.LISTEN)
        .findFirst();
  }

  /** The connection's state, CLOSE when the kernel has nothing left for it. */
  static TcpState state(InetSocketAddress local, InetSocketAddress remote) throws IOException {
    return connection(local, remote).map(ProcNet.TcpSocket::state).orElse(TcpState.CLOSE);
  }
}
