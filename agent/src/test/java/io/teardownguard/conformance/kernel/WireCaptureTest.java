package io.teardownguard.conformance.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.conformance.kernel.WireCapture.Segment;
import io.teardownguard.conformance.kernel.WireCapture.TcpFlag;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs tcpdump for real on the current namespace's lo; skipped unless root with tcpdump. */
class WireCaptureTest {

  @Test
  @Timeout(30)
  void capturesHandshakeAndCloseBetweenMarks() throws Exception {
    Optional<String> unavailable = WireCapture.unavailableReason();
    Assumptions.assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));

    try (WireCapture capture = WireCapture.start();
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      WireCapture.Mark before = capture.mark();
      String serverAddress = "127.0.0.1:" + server.getLocalPort();
      String clientAddress;
      Socket client = new Socket();
      try {
        client.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 5_000);
        clientAddress = "127.0.0.1:" + client.getLocalPort();
        try (Socket accepted = server.accept()) {
          client.close();
          assertEquals(-1, accepted.getInputStream().read(), "server reads the client's FIN");
        }
      } finally {
        client.close();
      }
      WireCapture.Mark after = capture.mark();

      List<Segment> fromClient =
          capture.between(before, after).stream()
              .filter(segment -> segment.source().equals(clientAddress))
              .filter(segment -> segment.destination().equals(serverAddress))
              .toList();
      assertTrue(
          fromClient.stream().anyMatch(s -> s.has(TcpFlag.SYN) && !s.has(TcpFlag.ACK)),
          "client SYN in " + fromClient);
      assertTrue(
          fromClient.stream().anyMatch(s -> s.has(TcpFlag.FIN)), "client FIN in " + fromClient);
      assertEquals(List.of(), capture.between(after, after));
    }
  }
}
