package io.teardownguard.samples.abortiveclose;

import io.teardownguard.samples.support.Lines;
import io.teardownguard.samples.support.Loopback;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** A tiny client-side pool of connections to a {@link KeyValueBackend}, used round-robin. */
final class ConnectionPool {

  private final List<Socket> idle;
  private int next;

  private ConnectionPool(List<Socket> idle) {
    this.idle = idle;
  }

  /** Opens {@code size} connections to the backend on {@code port}. */
  static ConnectionPool open(int port, int size) throws IOException {
    List<Socket> connections = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      connections.add(Loopback.connect(port));
    }
    return new ConnectionPool(connections);
  }

  /** Asks the backend for {@code key} on the next connection and returns its reply line. */
  String get(String key) throws IOException {
    Socket connection = idle.get(next);
    next = (next + 1) % idle.size();
    Lines.write(connection.getOutputStream(), "GET " + key);
    String reply = Lines.read(connection.getInputStream());
    if (reply == null) {
      throw new ProtocolException("backend closed the connection");
    }
    return reply;
  }

  /**
   * Unsafe: sets SO_LINGER to 0 on every idle connection "to avoid TIME_WAIT" and closes it. With
   * a zero linger time Linux aborts instead of closing ({@code __tcp_close()} -> {@code
   * tcp_disconnect()}): RST, and the backend, blocked reading its next request, gets "Connection
   * reset" on a connection that was idle and healthy.
   */
  void shutdown() throws IOException {
    for (Socket connection : idle) {
      connection.setSoLinger(true, 0);
      connection.close();
    }
  }

  /**
   * Safe: a plain close sends FIN; the backend reads EOF and closes its end. The TIME_WAIT that
   * follows stays here, on the client, which is where it belongs (RFC 9293 3.6.1).
   */
  void shutdownGracefully() throws IOException {
    for (Socket connection : idle) {
      connection.close();
    }
  }
}
