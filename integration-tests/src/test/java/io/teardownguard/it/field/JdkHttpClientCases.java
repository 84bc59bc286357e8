package io.teardownguard.it.field;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * The JDK's {@code java.net.http.HttpClient} (non-blocking channels on its own selector thread):
 * a response body closed half read, and a pooled connection the client drops when idle (the host
 * JVM runs with {@code -Djdk.httpclient.keepalive.timeout=1}).
 */
final class JdkHttpClientCases {
  private static final List<String> SITES = List.of("jdk.internal.net.http.", FieldCase.APPLICATION);

  private JdkHttpClientCases() {}

  static List<FieldCase> cases() {
    return List.of(
        new FieldCase("jdk-httpclient-abandons-body", SITES, () -> {
          try (PlainHttpServer server = new PlainHttpServer(8 << 20)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(server.url("/large"))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
              body.readNBytes(1024);
            }
            Thread.sleep(300);
          }
        }),
        new FieldCase("jdk-httpclient-idle-pool-expiry", SITES, () -> {
          try (PlainHttpServer server = new PlainHttpServer(1024)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 3; i++) {
              client.send(HttpRequest.newBuilder(URI.create(server.url("/" + i))).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
            }
            // keepalive.timeout=1 s: the pool's cleaner closes the idle connection (HttpClientImpl's selector thread).
            Thread.sleep(2_500);
          }
        }));
  }
}
