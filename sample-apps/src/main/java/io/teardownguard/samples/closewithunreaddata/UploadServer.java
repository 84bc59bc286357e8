package io.teardownguard.samples.closewithunreaddata;

import io.teardownguard.samples.support.Drain;
import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.RequestHead;
import io.teardownguard.samples.support.Teardown;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** An HTTP upload endpoint that refuses, from the request head alone, bodies over its limit. */
final class UploadServer {

  static final long MAX_BODY_BYTES = 1024 * 1024;

  /**
   * How much of a refused body the safe variant reads and throws away before it gives up on the
   * client, as Tomcat's {@code maxSwallowSize} does: the bound that keeps draining safe.
   */
  private static final long MAX_DRAIN_BYTES = 16 * 1024 * 1024;

  private static final byte[] CONTENT_TOO_LARGE = ("HTTP/1.1 413 Content Too Large\r\n"
      + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  private UploadServer() {}

  /** Accepts one upload, reads its head, and refuses it with {@code rejection}. */
  static RequestHead refuseOne(ServerSocket listener, Teardown rejection) throws IOException {
    Socket connection = Loopback.accept(listener);
    RequestHead head = RequestHead.read(connection.getInputStream());
    if (head.contentLength() <= MAX_BODY_BYTES) {
      throw new ProtocolException("expected an upload over " + MAX_BODY_BYTES + " bytes, got "
          + head.contentLength());
    }
    rejection.end(connection);
    return head;
  }

  /**
   * Unsafe: answers 413 and closes at once. The body the client is still sending sits unread in
   * the receive queue, so Linux aborts the connection with RST instead of FIN ({@code
   * __tcp_close()}, RFC 2525 2.17): the client's pending writes fail, and a client that had not
   * yet read the 413 may never see it.
   */
  static void rejectOversized(Socket connection) throws IOException {
    OutputStream out = connection.getOutputStream();
    out.write(CONTENT_TOO_LARGE);
    out.flush();
    connection.close();
  }

  /**
   * Safe: answers 413, sends FIN with {@code shutdownOutput()} so the client knows the response
   * is complete, then reads and discards the body until the client closes (bounded by a byte
   * limit and SO_TIMEOUT), and only then closes: nothing is unread, so no RST.
   */
  static void rejectOversizedAfterDraining(Socket connection) throws IOException {
    OutputStream out = connection.getOutputStream();
    out.write(CONTENT_TOO_LARGE);
    out.flush();
    connection.shutdownOutput();
    Drain.toEof(connection.getInputStream(), MAX_DRAIN_BYTES);
    connection.close();
  }
}
