package io.teardownguard.it.field;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The application's own HTTP/1.1 client on a plain {@link Socket}, for the server cases: it sends
 * exactly the bytes a case needs (a body the server will not read, a request it abandons) and
 * every close it makes is its own call site.
 */
final class RawHttp implements AutoCloseable {
  private static final int TIMEOUT_MILLIS = 5_000;

  private final Socket socket;

  RawHttp(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
    socket.setSoTimeout(TIMEOUT_MILLIS);
  }

  /** Sends {@code method path} with a body of {@code bodyBytes} zeros; a reset while sending is the server's answer. */
  RawHttp send(String method, String path, int bodyBytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (bodyBytes > 0 || method.equals("POST") ? "Content-Length: " + bodyBytes + "\r\n" : "") + "\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    byte[] chunk = new byte[16 * 1024];
    for (int sent = 0; sent < bodyBytes; sent += chunk.length) {
      try {
        out.write(chunk, 0, Math.min(chunk.length, bodyBytes - sent));
      } catch (IOException e) {
        break;
      }
    }
    out.flush();
    return this;
  }

  /** Reads the status line and head; -1 if the connection ended first. */
  int status() throws IOException {
    String head = head();
    return head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
  }

  /** Reads one whole response (head, then a Content-Length body) and returns its status. */
  int response() throws IOException {
    String head = head();
    if (!head.startsWith("HTTP/1.1 ")) {
      return -1;
    }
    long length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      }
    }
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[64 * 1024];
    while (length > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, length));
      if (n < 0) {
        break;
      }
      length -= n;
    }
    return Integer.parseInt(head.substring(9, 12));
  }

  /** Reads until end of stream, a reset or the timeout: what a client waiting for the server's close does. */
  void awaitEnd() {
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[64 * 1024];
      while (in.read(buffer) >= 0) {
        // discard
      }
    } catch (IOException e) {
      // reset by the server, or timed out: the end either way
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private String head() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
    } catch (IOException e) {
      // a reset before or during the head: the caller sees no status
    }
    return head.toString(StandardCharsets.US_ASCII);
  }
}
