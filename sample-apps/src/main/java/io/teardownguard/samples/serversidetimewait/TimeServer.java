package io.teardownguard.samples.serversidetimewait;

import io.teardownguard.samples.support.Drain;
import io.teardownguard.samples.support.Lines;
import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Teardown;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;

/** A one-request-per-connection server: {@code TIME} -> {@code TIME <millis>}, like RFC 868. */
final class TimeServer {

  /** A client sends nothing after its request; the bound only keeps the read loop finite. */
  private static final long MAX_TRAILING_BYTES = 1024;

  private TimeServer() {}

  /** Answers {@code connections} connections one after the other, ending each with {@code end}. */
  static int serve(ServerSocket listener, int connections, Teardown end) throws IOException {
    for (int i = 0; i < connections; i++) {
      Socket connection = Loopback.accept(listener);
      String request = Lines.read(connection.getInputStream());
      if (!"TIME".equals(request)) {
        throw new ProtocolException("unexpected request: " + request);
      }
      Lines.write(connection.getOutputStream(), "TIME " + System.currentTimeMillis());
      end.end(connection);
    }
    return connections;
  }

  /**
   * Unsafe under churn: the server closes first, so it is the server that holds TIME_WAIT, for 60
   * s on Linux, one entry per connection ({@code tcp_time_wait()}, RFC 9293 3.6.1). Thousands of
   * short connections a second leave the server with tens of thousands of them.
   */
  static void closeAfterReply(Socket connection) throws IOException {
    connection.close();
  }

  /**
   * Safe: the protocol says the client closes. The server waits for the client's EOF (bounded)
   * and closes second, from CLOSE_WAIT, so TIME_WAIT stays with each client.
   */
  static void closeAfterClientCloses(Socket connection) throws IOException {
    Drain.toEof(connection.getInputStream(), MAX_TRAILING_BYTES);
    connection.close();
  }
}
