package io.teardownguard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The churn client: one connection at a time, connect, send the request, read the response to
 * EOF (the server closes first), close. Its close meets CLOSE_WAIT with nothing unread: a FIN,
 * and the server holds TIME_WAIT, so the client's ephemeral port is free again at once.
 */
final class ChurnClient {
  private final InetSocketAddress server;
  /** Source addresses to rotate through; empty lets the kernel pick 127.0.0.1. */
  private final InetSocketAddress[] sources;
  private final byte[] request = new byte[ChurnProtocol.REQUEST_BYTES];
  private final byte[] buffer = new byte[ChurnProtocol.RESPONSE_BYTES + 1];
  private int next;

  /** @param sourceCount 0 for no bind; else bind to 127.0.0.2 .. 127.0.0.(1 + sourceCount) in turn */
  ChurnClient(InetSocketAddress server, int sourceCount) {
    this.server = server;
    this.sources = new InetSocketAddress[sourceCount];
    for (int i = 0; i < sourceCount; i++) {
      InetAddress source = ChurnProtocol.loopback(2 + i);
      sources[i] = new InetSocketAddress(source, 0);
    }
  }

  /** One connection, start to finish; throws if the server's answer is not exactly the response. */
  void cycle() throws IOException {
    try (Socket socket = new Socket()) {
      if (sources.length > 0) {
        socket.bind(sources[next]);
        next = (next + 1) % sources.length;
      }
      socket.connect(server, ChurnProtocol.TIMEOUT_MILLIS);
      socket.setSoTimeout(ChurnProtocol.TIMEOUT_MILLIS);
      socket.getOutputStream().write(request);
      InputStream in = socket.getInputStream();
      int received = 0;
      // Ends at EOF, or after too many bytes; each read is bounded by the timeout.
      while (received <= ChurnProtocol.RESPONSE_BYTES) {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
          break;
        }
        received += n;
      }
      if (received != ChurnProtocol.RESPONSE_BYTES) {
        throw new IOException("expected a " + ChurnProtocol.RESPONSE_BYTES + "-byte response, got " + received
            + (received > ChurnProtocol.RESPONSE_BYTES ? " or more" : ""));
      }
    }
  }
}
