package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real Prometheus server (/usr/bin/prometheus, Debian package prometheus) scrapes a sample app
 * (sample-apps' StatusCheckUnsafe: a health check that reads one line and hangs up, run again and
 * again) under the agent with {@code metrics=prometheus:PORT}; its HTTP API must then return the
 * sample's CLOSE_WITH_UNREAD_DATA finding, and accept and answer every query of the shipped dashboard. Skipped, saying why, where
 * Prometheus is not installed (CI installs it).
 */
@Timeout(180)
final class PrometheusIT {
  /** The Debian package's binary; {@code -Dtg.prometheus=PATH} names another. */
  private static final Path PROMETHEUS = Path.of(System.getProperty("tg.prometheus", "/usr/bin/prometheus"));
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SAMPLE = "io.teardownguard.samples.closewithunreaddata.StatusCheckUnsafe";
  /** Findings (one per run of the sample) the endpoint must count before Prometheus starts. */
  private static final int CLOSES = 3;

  @TempDir
  Path dir;

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  void prometheusScrapesTheFindingsAndAnswersEveryDashboardQuery(int jdk) throws Exception {
    if (!Files.isExecutable(PROMETHEUS)) {
      String reason = PROMETHEUS + " not found: install the Debian package prometheus (apt-get install -y prometheus)"
          + " to run this test";
      System.out.println("SKIPPED PrometheusIT: " + reason);
      Assumptions.abort(reason);
    }
    try (MetricsChild app = MetricsChild.startSample(jdk, dir, SAMPLE)) {
      app.scrapeOnceCounted(CLOSES);
      int webPort = ChildJvm.freeLoopbackPort();
      Process prometheus = startPrometheus(app.port, webPort);
      try {
        JsonNode finding = awaitResult(webPort, "teardown_findings_total{rule=\"CLOSE_WITH_UNREAD_DATA\"}", prometheus);
        assertEquals(1, finding.size(), finding.toString());
        JsonNode series = finding.get(0);
        assertEquals("ERROR", series.get("metric").get("severity").asText(), series.toString());
        assertEquals("teardown", series.get("metric").get("job").asText(), series.toString());
        assertTrue(Double.parseDouble(series.get("value").get(1).asText()) >= CLOSES, series.toString());

        List<String> answered = new ArrayList<>();
        for (String expression : Dashboard.expressions()) {
          String query = Dashboard.forPrometheus(expression);
          // The sample goes on closing badly: the panels that count that must show it.
          boolean moving = query.contains("teardown_findings_total") || query.contains("rst|fin_rst")
              || query.contains("teardown_discarded_bytes_total");
          JsonNode result = awaitResult(webPort, moving ? "(" + query + ") > 0" : query, prometheus);
          answered.add((moving ? "(" + query + ") > 0" : query) + " -> " + result);
        }
        assertTrue(answered.get(0).contains("CLOSE_WITH_UNREAD_DATA"), answered.get(0));
        System.out.println("PrometheusIT JDK " + jdk + ": " + String.join("\n  ", answered));
      } finally {
        prometheus.destroy();
        ChildJvm.stop(prometheus, 10);
      }
      assertEquals(0, app.finish(), app.stderr());
      assertTrue(app.stdout().endsWith("done\n"), app.stdout());
    }
  }

  private Process startPrometheus(int appPort, int webPort) throws IOException {
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: teardown
            static_configs:
              - targets: ['127.0.0.1:%d']
        """.formatted(appPort));
    Path data = Files.createDirectories(dir.resolve("data"));
    return new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config, "--storage.tsdb.path=" + data,
        "--web.listen-address=127.0.0.1:" + webPort)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
  }

  /** The query's non-empty instant-vector result, retried for up to 60 s (Prometheus starts, then scrapes each second). */
  private JsonNode awaitResult(int webPort, String query, Process prometheus) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + webPort + "/api/v1/query?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8));
    String last = "(no answer)";
    for (int attempt = 0; attempt < 120 && prometheus.isAlive(); attempt++) {
      try {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        last = response.statusCode() + " " + response.body();
        JsonNode body = JSON.readTree(response.body());
        if (body.path("status").asText().equals("error")) {
          throw new AssertionError("Prometheus rejects " + query + ": " + response.body());
        }
        JsonNode result = body.path("data").path("result");
        if (result.size() > 0) {
          return result;
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no result for " + query + "; last answer: " + last + "\nprometheus log:\n"
        + Files.readString(dir.resolve("prometheus.log")));
  }
}
