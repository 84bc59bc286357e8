package io.teardownguard.samples.abortiveclose;

import io.teardownguard.samples.support.Lines;
import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Peer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** A line-protocol key-value server: one thread per connection, {@code GET k} -> {@code VALUE k}. */
final class KeyValueBackend {

  /** Bounds each connection's request loop; a sample sends a handful. */
  private static final int MAX_REQUESTS = 100;

  private KeyValueBackend() {}

  /**
   * Serves {@code connections} connections until each client hangs up; returns, per connection,
   * how the client ended it.
   */
  static List<String> serve(ServerSocket listener, int connections) throws Exception {
    List<Peer<String>> handlers = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Socket connection = Loopback.accept(listener);
      handlers.add(Peer.start("backend-" + i, () -> serveConnection(connection)));
    }
    List<String> endings = new ArrayList<>();
    for (Peer<String> handler : handlers) {
      endings.add(handler.await());
    }
    return endings;
  }

  private static String serveConnection(Socket connection) throws IOException {
    try (connection) {
      InputStream in = connection.getInputStream();
      OutputStream out = connection.getOutputStream();
      for (int served = 0; served < MAX_REQUESTS; served++) {
        String request = Lines.read(in);
        if (request == null) {
          return "EOF";
        }
        Lines.write(out, "VALUE " + request.substring("GET ".length()));
      }
      return "request limit reached";
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
