package io.teardownguard.samples.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An HTTP/1.1 client that sends the whole request, head and body, before it reads the response,
 * as most clients do. It reports what it saw, failures included, instead of throwing them: a
 * failed write or a reset is the very thing the unsafe samples show.
 */
public final class PostClient {

  private static final int CHUNK_BYTES = 64 * 1024;
  private static final long MAX_RESPONSE_BYTES = 64 * 1024;

  private PostClient() {}

  /**
   * POSTs {@code bodyBytes} bytes to {@code path} on 127.0.0.1:{@code port}, reads the response
   * to its end, closes, and returns a line such as {@code got "HTTP/1.1 202 Accepted", then EOF}.
   */
  public static String post(int port, String path, long bodyBytes) throws IOException,
      InterruptedException {
    return post(port, path, bodyBytes, 0);
  }

  /**
   * As {@link #post(int, String, long)}, but the body is produced slowly: after the head and the
   * first {@value #CHUNK_BYTES} body bytes the client pauses for {@code pauseMillis} before it
   * sends the rest. Meanwhile it is neither reading nor closing, so whatever the server does in
   * that time, it does with body bytes queued and the client's side still open.
   */
  public static String post(int port, String path, long bodyBytes, long pauseMillis)
      throws IOException, InterruptedException {
    try (Socket socket = Loopback.connect(port)) {
      String sending = send(socket.getOutputStream(), path, bodyBytes, pauseMillis);
      return sending + receive(socket.getInputStream());
    }
  }

  /**
   * Writes head and body in chunks; the head shares the first write with the start of the body,
   * so by the time the server has read the head, body bytes are already queued behind it.
   */
  private static String send(OutputStream out, String path, long bodyBytes, long pauseMillis)
      throws InterruptedException {
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + bodyBytes
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    int firstBodyBytes = (int) Math.min(CHUNK_BYTES, bodyBytes);
    byte[] first = Arrays.copyOf(head, head.length + firstBodyBytes);
    Arrays.fill(first, head.length, first.length, (byte) 'x');
    byte[] chunk = new byte[CHUNK_BYTES];
    Arrays.fill(chunk, (byte) 'x');
    long sent = 0;
    try {
      out.write(first);
      sent = firstBodyBytes;
      Thread.sleep(pauseMillis);
      while (sent < bodyBytes) {
        int length = (int) Math.min(CHUNK_BYTES, bodyBytes - sent);
        out.write(chunk, 0, length);
        sent += length;
      }
      return "";
    } catch (IOException e) {
      return "sending failed after " + sent + " of " + bodyBytes + " body bytes (" + e.getMessage()
          + "); ";
    }
  }

  private static String receive(InputStream in) {
    try {
      String statusLine = Lines.read(in);
      if (statusLine == null) {
        return "got no response, only EOF";
      }
      Drain.toEof(in, MAX_RESPONSE_BYTES);
      return "got \"" + statusLine + "\", then EOF";
    } catch (IOException e) {
      return "reading the response failed (" + e.getMessage() + ")";
    }
  }
}
