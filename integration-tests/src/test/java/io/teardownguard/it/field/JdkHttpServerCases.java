package io.teardownguard.it.field;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The JDK's {@code com.sun.net.httpserver}: a handler answering 413 without reading the body (its
 * {@code ServerImpl} then closes the connection itself), and a stop with idle keep-alive
 * connections. The library is the JDK here, so its own package is a right call site; but the
 * reset after a 413 is the handler's doing, and the agent names it (issue 13 point 5): that
 * case accepts only the application's code (the handler, in this class) as its site.
 */
final class JdkHttpServerCases {
  private static final List<String> SITES = List.of("sun.net.httpserver.", FieldCase.APPLICATION);
  private static final List<String> HANDLER = List.of(FieldCase.APPLICATION);

  private JdkHttpServerCases() {}

  static List<FieldCase> cases() {
    return List.of(
        new FieldCase("jdk-httpserver-413-unread-body", HANDLER, () -> {
          HttpServer server = start();
          try (RawHttp client = new RawHttp(server.getAddress().getPort())) {
            client.send("POST", "/reject", 256 * 1024);
            client.status();
            client.awaitEnd();
          } finally {
            server.stop(0);
          }
        }),
        new FieldCase("jdk-httpserver-stop-with-idle-connections", SITES, () -> {
          HttpServer server = start();
          RawHttp first = new RawHttp(server.getAddress().getPort());
          RawHttp second = new RawHttp(server.getAddress().getPort());
          try {
            first.send("GET", "/small", 0).response();
            second.send("GET", "/small", 0).response();
          } finally {
            server.stop(0);
          }
          for (RawHttp client : List.of(first, second)) {
            client.awaitEnd();
            client.close();
          }
        }));
  }

  /** Started on 127.0.0.1; /reject answers 413 without reading, anything else 2 bytes. */
  static HttpServer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        if (exchange.getRequestURI().getPath().equals("/reject")) {
          exchange.sendResponseHeaders(413, -1);
        } else {
          byte[] body = exchange.getRequestURI().getPath().equals("/large") ? new byte[8 << 20] : new byte[] {'o', 'k'};
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      }
    });
    server.start();
    return server;
  }
}
