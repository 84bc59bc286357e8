package io.teardownguard.it.field;

import java.io.InputStream;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** OkHttp 5 (blocking sockets): a response body closed half read, a pool evicted after complete calls. */
final class OkHttpCases {
  private static final List<String> SITES = List.of("okhttp3.", "okio.", FieldCase.APPLICATION);

  private OkHttpCases() {}

  static List<FieldCase> cases() {
    return List.of(
        new FieldCase("okhttp-abandons-body", SITES, () -> {
          try (PlainHttpServer server = new PlainHttpServer(32 << 20)) {
            OkHttpClient client = new OkHttpClient();
            try (Response response = client.newCall(new Request.Builder().url(server.url("/large")).build()).execute()) {
              InputStream body = response.body().byteStream();
              body.readNBytes(1024);
            }
            shutdown(client);
          }
          // OkHttp's watchdog may close the socket while its reader is blocked in read(); the JDK
          // defers close(2) until the reader leaves (NioSocketImpl), and the server, still sending,
          // queues more by then: the client's one endpoint may reset after a FIN close.
        }).racing(1),
        new FieldCase("okhttp-pool-evicted", SITES, () -> {
          try (PlainHttpServer server = new PlainHttpServer(1024)) {
            OkHttpClient client = new OkHttpClient();
            for (int i = 0; i < 3; i++) {
              try (Response response = client.newCall(new Request.Builder().url(server.url("/" + i)).build()).execute()) {
                response.body().bytes();
              }
            }
            shutdown(client);
          }
        }));
  }

  private static void shutdown(OkHttpClient client) {
    client.connectionPool().evictAll();
    client.dispatcher().executorService().shutdown();
  }
}
