package io.teardownguard.it.field;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The application's own keep-alive HTTP/1.1 server for the client cases: one thread per
 * connection, every response {@code bodyBytes} long, and it closes a connection only after
 * reading its end (so all it sends is a FIN after the client's), or after a reset. What the
 * client library does is then all that is left to see.
 */
final class PlainHttpServer implements AutoCloseable {
  private final int bodyBytes;
  private final ThreadPerConnectionServer server;

  PlainHttpServer(int bodyBytes) throws IOException {
    this.bodyBytes = bodyBytes;
    server = new ThreadPerConnectionServer("plain-http", this::serve);
  }

  int port() {
    return server.port();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      byte[] body = new byte[bodyBytes];
      while (readHead(in)) {
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + bodyBytes + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
    } catch (IOException e) {
      // reset by the client: close as any server would
    }
  }

  /** Reads one request head (these clients send no body on GET); false at end of stream. */
  private static boolean readHead(InputStream in) throws IOException {
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return true;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
  }
}
