package io.teardownguard.samples.shutdowninputhidesdata;

import io.teardownguard.samples.support.Drain;
import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.RequestHead;
import io.teardownguard.samples.support.Teardown;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A webhook endpoint that needs only the request head: it queues the event named in the request
 * line and has no use for the body.
 */
final class WebhookReceiver {

  /** More than a webhook body is allowed to be; reading stops at EOF long before this. */
  private static final long MAX_BODY_BYTES = 1024 * 1024;

  private static final byte[] ACCEPTED = ("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n"
      + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  private WebhookReceiver() {}

  /** Accepts one delivery, reads its head, and answers it with {@code respond}. */
  static RequestHead receiveOne(ServerSocket listener, Teardown respond) throws IOException {
    Socket connection = Loopback.accept(listener);
    RequestHead head = RequestHead.read(connection.getInputStream());
    respond.end(connection);
    return head;
  }

  /** Unsafe: hides the body with {@code shutdownInput()}, then acknowledges and closes. */
  static void ignoreBodyAndAcknowledge(Socket connection) throws IOException {
    ignoreBody(connection);
    acknowledge(connection);
  }

  /**
   * Safe: acknowledges, sends FIN with {@code shutdownOutput()}, then reads and discards the body
   * until the sender's EOF (bounded by a byte limit and SO_TIMEOUT), and only then closes.
   */
  static void acknowledgeAfterDraining(Socket connection) throws IOException {
    OutputStream out = connection.getOutputStream();
    out.write(ACCEPTED);
    out.flush();
    connection.shutdownOutput();
    Drain.toEof(connection.getInputStream(), MAX_BODY_BYTES);
    connection.close();
  }

  /**
   * "Ignore the rest of the request." Linux discards nothing on SHUT_RD ({@code tcp_shutdown()}
   * returns early): the body stays queued and more keeps arriving. Java just stops looking:
   * reads return -1 without asking the kernel ({@code NioSocketImpl}).
   */
  private static void ignoreBody(Socket connection) throws IOException {
    connection.shutdownInput();
  }

  /**
   * Writes 202 and closes, with the hidden body still in the receive queue: the close sends RST
   * ({@code __tcp_close()}, RFC 2525 2.17).
   */
  private static void acknowledge(Socket connection) throws IOException {
    OutputStream out = connection.getOutputStream();
    out.write(ACCEPTED);
    out.flush();
    connection.close();
  }
}
