package io.teardownguard.it.field;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** Embedded Tomcat (NIO connector): a rejected upload, an abandoned download, keep-alive expiry, a stop with queued connections. */
final class TomcatCases {
  private static final List<String> SITES = List.of("org.apache.tomcat.", "org.apache.coyote.", "org.apache.catalina.",
      FieldCase.APPLICATION);

  private TomcatCases() {}

  /**
   * Every Tomcat stop wakes its acceptor by connecting to its own port and closing that socket with
   * SO_LINGER 0 ({@code AbstractEndpoint.unlockAccept}); the acceptor closes what it accepted on
   * another thread at the same moment. When the RST lands between the acceptor's probe and its
   * close(2), that close sends nothing where FIN was predicted: one endpoint per stop, one stop per case.
   */
  private static final int UNLOCK_ACCEPT_RACES = 1;

  static List<FieldCase> cases() {
    return Stream.of(
        new FieldCase("tomcat-413-unread-body", SITES, () -> {
          // maxSwallowSize: Tomcat reads at most this much of an unread body before giving the connection up.
          try (Server server = new Server("1024")) {
            try (RawHttp client = new RawHttp(server.port())) {
              client.send("POST", "/reject", 256 * 1024);
              client.status();
              client.awaitEnd();
            }
          }
        }),
        new FieldCase("tomcat-client-abandons-response", SITES, () -> {
          try (Server server = new Server(null); RawHttp client = new RawHttp(server.port())) {
            client.send("GET", "/large", 0);
            client.status();
          }
        }),
        new FieldCase("tomcat-keep-alive-timeout", SITES, () -> {
          try (Server server = new Server(null); RawHttp client = new RawHttp(server.port())) {
            client.send("GET", "/small", 0);
            client.response();
            client.awaitEnd();
          }
        }),
        new FieldCase("tomcat-stop-with-queued-connections", SITES, () -> {
          Server server = new Server(null);
          List<RawHttp> queued = new ArrayList<>();
          try {
            server.connector.pause();
            for (int i = 0; i < 3; i++) {
              queued.add(new RawHttp(server.port()));
            }
            Thread.sleep(200);
          } finally {
            server.close();
          }
          for (RawHttp client : queued) {
            client.awaitEnd();
            client.close();
          }
        }))
        .map(c -> c.racing(UNLOCK_ACCEPT_RACES))
        .toList();
  }

  /** Tomcat on 127.0.0.1, a free port, keep-alive 300 ms; /reject answers 413 unread, /large 8 MiB, /small 2 bytes. */
  private static final class Server implements AutoCloseable {
    final Tomcat tomcat = new Tomcat();
    final Connector connector = new Connector("HTTP/1.1");
    final Path base;

    Server(String maxSwallowSize) throws Exception {
      base = Files.createTempDirectory("tomcat");
      tomcat.setBaseDir(base.toString());
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      connector.setProperty("keepAliveTimeout", "300");
      if (maxSwallowSize != null) {
        connector.setProperty("maxSwallowSize", maxSwallowSize);
      }
      tomcat.setConnector(connector);
      Context context = tomcat.addContext("", base.toString());
      Tomcat.addServlet(context, "field", new FieldServlet());
      context.addServletMappingDecoded("/*", "field");
      tomcat.start();
    }

    int port() {
      return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  private static final class FieldServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      switch (request.getRequestURI()) {
        case "/reject" -> response.sendError(413);
        case "/large" -> {
          response.setContentLengthLong(8L << 20);
          byte[] chunk = new byte[64 * 1024];
          for (int i = 0; i < 128; i++) {
            response.getOutputStream().write(chunk);
          }
        }
        default -> {
          response.setContentLength(2);
          response.getOutputStream().write("ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
      }
    }
  }
}
