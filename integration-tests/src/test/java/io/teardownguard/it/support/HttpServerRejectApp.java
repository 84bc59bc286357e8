package io.teardownguard.it.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The JDK's HttpServer with a handler that answers 413 to an upload without reading its body
 * (256 KiB, more than the 64 KiB the server drains itself), and one client that sends it: the
 * server's dispatcher closes the connection with the rest of the body unread (RST).
 */
public final class HttpServerRejectApp {
  private static final int BODY_BYTES = 256 * 1024;

  private HttpServerRejectApp() {}

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/upload", exchange -> {
      try (exchange) {
        exchange.sendResponseHeaders(413, -1);
      }
    });
    server.start();
    try (Socket client = new Socket("127.0.0.1", server.getAddress().getPort())) {
      client.setSoTimeout(2_000);
      OutputStream out = client.getOutputStream();
      out.write(("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + BODY_BYTES + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      try {
        out.write(new byte[BODY_BYTES]);
      } catch (IOException reset) {
        // the server's reset may come before the body is out: what this program shows
      }
      System.out.println(statusLine(client.getInputStream()));
    } finally {
      server.stop(0);
    }
  }

  /** The response's status line; the rest is read to its end (or the reset), so the client leaves nothing unread. */
  private static String statusLine(InputStream in) {
    StringBuilder line = new StringBuilder();
    try {
      for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
        line.append((char) c);
      }
      in.transferTo(OutputStream.nullOutputStream());
      return line.toString();
    } catch (IOException e) {
      return line.isEmpty() ? "no status line: " + e.getMessage() : line.toString();
    }
  }
}
