package io.teardownguard.it.field;

import java.io.InputStream;
import java.util.List;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/** Apache HttpClient 5 (classic, blocking sockets): a response closed unread, a pool closed after complete exchanges. */
final class ApacheHttpClientCases {
  private static final List<String> SITES = List.of("org.apache.hc.", FieldCase.APPLICATION);

  private ApacheHttpClientCases() {}

  static List<FieldCase> cases() {
    return List.of(
        new FieldCase("httpclient5-response-closed-unread", SITES, () -> {
          try (PlainHttpServer server = new PlainHttpServer(8 << 20);
              CloseableHttpClient client = HttpClients.createDefault()) {
            ClassicHttpResponse response = client.executeOpen(null, new HttpGet(server.url("/large")), null);
            try (response) {
              InputStream body = response.getEntity().getContent();
              body.readNBytes(1024);
            }
          }
        }),
        new FieldCase("httpclient5-pool-closed", SITES, () -> {
          try (PlainHttpServer server = new PlainHttpServer(1024)) {
            try (CloseableHttpClient client = HttpClients.createDefault()) {
              for (int i = 0; i < 3; i++) {
                client.execute(new HttpGet(server.url("/" + i)), response -> EntityUtils.toByteArray(response.getEntity()));
              }
            }
          }
        }));
  }
}
