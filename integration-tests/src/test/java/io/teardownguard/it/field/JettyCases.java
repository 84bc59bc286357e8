package io.teardownguard.it.field;

import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** Jetty 12 (core handler API): a rejected upload, an idle timeout, an abandoned download. */
final class JettyCases {
  private static final List<String> SITES = List.of("org.eclipse.jetty.", FieldCase.APPLICATION);

  private JettyCases() {}

  static List<FieldCase> cases() {
    return List.of(
        new FieldCase("jetty-413-unread-body", SITES, () -> {
          try (Jetty server = new Jetty(); RawHttp client = new RawHttp(server.port())) {
            client.send("POST", "/reject", 256 * 1024);
            client.status();
            client.awaitEnd();
          }
        }),
        new FieldCase("jetty-idle-timeout", SITES, () -> {
          try (Jetty server = new Jetty(); RawHttp client = new RawHttp(server.port())) {
            client.send("GET", "/small", 0);
            client.response();
            client.awaitEnd();
          }
        }),
        new FieldCase("jetty-client-abandons-response", SITES, () -> {
          try (Jetty server = new Jetty(); RawHttp client = new RawHttp(server.port())) {
            client.send("GET", "/large", 0);
            client.status();
          }
        }));
  }

  /** Jetty on 127.0.0.1, idle timeout 300 ms; /reject answers 413 unread, /large 8 MiB, else 2 bytes. */
  private static final class Jetty implements AutoCloseable {
    final Server server = new Server();
    final ServerConnector connector = new ServerConnector(server);

    Jetty() throws Exception {
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      connector.setIdleTimeout(300);
      server.addConnector(connector);
      server.setHandler(new Handler.Abstract() {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
          String path = request.getHttpURI().getPath();
          if (path.equals("/reject")) {
            response.setStatus(413);
            callback.succeeded();
          } else if (path.equals("/large")) {
            response.getHeaders().put("Content-Length", Long.toString(8L << 20));
            response.write(true, ByteBuffer.allocate(8 << 20), callback);
          } else {
            response.write(true, ByteBuffer.wrap(new byte[] {'o', 'k'}), callback);
          }
          return true;
        }
      });
      server.start();
    }

    int port() {
      return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      server.stop();
    }
  }
}
