package io.teardownguard.samples.resetondataaftershutdown;

import io.teardownguard.samples.support.Drain;
import io.teardownguard.samples.support.Lines;
import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Teardown;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * An ingest server: a client opens a batch with {@code BATCH <id>}, the server acknowledges it,
 * and the client streams the batch's chunks after the acknowledgement.
 */
final class IngestServer {

  /** More than the chunks of one batch; reading stops at EOF long before this. */
  private static final long MAX_BATCH_BYTES = 1024 * 1024;

  private IngestServer() {}

  /** Accepts one client, acknowledges its batch, and ends the connection with {@code end}. */
  static String serveOne(ServerSocket listener, Teardown end) throws IOException {
    Socket connection = Loopback.accept(listener);
    String request = Lines.read(connection.getInputStream());
    if (request == null || !request.startsWith("BATCH ")) {
      throw new ProtocolException("unexpected request: " + request);
    }
    Lines.write(connection.getOutputStream(), "ACK " + request.substring("BATCH ".length()));
    end.end(connection);
    return request;
  }

  /**
   * Unsafe: having replied, the server shuts both directions, "done with this connection". Once
   * input and output are both shut, Linux answers any data the client still sends with RST
   * ({@code tcp_rcv_state_process()}, RFC 1122 4.2.2.13), so the chunks that follow the
   * acknowledgement are lost and the client's writes fail. Closing the socket next changes
   * nothing: the orphan answers the same way.
   */
  static void hangUp(Socket connection) throws IOException {
    connection.shutdownInput();
    connection.shutdownOutput();
    connection.close();
  }

  /**
   * Safe: shuts only the output (FIN: "no more replies"), keeps reading what the client still
   * sends until its EOF (bounded by a byte limit and SO_TIMEOUT), then closes.
   */
  static void finishAfterClient(Socket connection) throws IOException {
    connection.shutdownOutput();
    Drain.toEof(connection.getInputStream(), MAX_BATCH_BYTES);
    connection.close();
  }
}
