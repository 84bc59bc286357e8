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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real Prometheus server (/usr/bin/prometheus, Debian package prometheus) scrapes a sample app
 * (sample-apps' StatusCheckUnsafe: a health check that reads one line and hangs up, run again and
 * again) under the agent with {@code metrics=prometheus:PORT}; its HTTP API must then return the
 * sample's CLOSE_WITH_UNREAD_DATA finding, and accept and answer every query of the shipped dashboard. Prometheus
 * scrapes the app under two jobs, as two applications: the dashboard's job and instance variables
 * must offer both jobs and the app's instance, and a panel filtered to one job must show it, and
 * nothing for a job that is not scraped. Skipped, saying why, where Prometheus is not installed (CI installs it).
 */
@Timeout(180)
final class PrometheusIT {
  /** The Debian package's binary; {@code -Dtg.prometheus=PATH} names another. */
  private static final Path PROMETHEUS = Path.of(System.getProperty("tg.prometheus", "/usr/bin/prometheus"));
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SAMPLE = "io.teardownguard.samples.closewithunreaddata.StatusCheckUnsafe";
  /** Grafana's {@code label_values(SELECTOR, LABEL)} variable query. */
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");
  /** The two jobs Prometheus scrapes the same app under, as if they were two applications. */
  private static final String JOB = "teardown";
  private static final String OTHER_JOB = "teardown-copy";
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
        String finding = "teardown_findings_total{rule=\"CLOSE_WITH_UNREAD_DATA\"}";
        awaitResult(webPort, "count(" + finding + " >= " + CLOSES + ") == 2", prometheus);
        Set<String> jobs = new TreeSet<>();
        for (JsonNode series : query(webPort, finding)) {
          assertEquals("ERROR", series.get("metric").get("severity").asText(), series.toString());
          assertTrue(Double.parseDouble(series.get("value").get(1).asText()) >= CLOSES, series.toString());
          jobs.add(series.get("metric").get("job").asText());
        }
        assertEquals(Set.of(JOB, OTHER_JOB), jobs, "one series per job");

        Dashboard.Variable job = Dashboard.variable("job");
        Dashboard.Variable instance = Dashboard.variable("instance");
        String appInstance = "127.0.0.1:" + app.port;
        assertEquals(Set.of(JOB, OTHER_JOB), variableValues(webPort, job, Map.of(), prometheus));
        assertEquals(Set.of(appInstance), variableValues(webPort, instance, Map.of(job, List.of(JOB)), prometheus));

        Map<Dashboard.Variable, List<String>> oneApp = new LinkedHashMap<>();
        oneApp.put(job, List.of(JOB));
        oneApp.put(instance, List.of(appInstance));
        Map<Dashboard.Variable, List<String>> noApp = new LinkedHashMap<>(oneApp);
        noApp.put(job, List.of("not-scraped"));
        Map<Dashboard.Variable, List<String>> all = new LinkedHashMap<>();
        all.put(job, null);
        all.put(instance, null);
        List<String> answered = new ArrayList<>();
        for (String expression : Dashboard.expressions()) {
          String query = Dashboard.forPrometheus(expression, oneApp);
          // The sample goes on closing badly: the panels that count that must show it.
          boolean moving = query.contains("teardown_findings_total") || query.contains("rst|fin_rst")
              || query.contains("teardown_discarded_bytes_total");
          JsonNode result = awaitResult(webPort, moving ? "(" + query + ") > 0" : query, prometheus);
          answered.add((moving ? "(" + query + ") > 0" : query) + " -> " + result);
          awaitResult(webPort, Dashboard.forPrometheus(expression, all), prometheus);
          String elsewhere = Dashboard.forPrometheus(expression, noApp);
          assertEquals(0, query(webPort, elsewhere).size(), "a job not scraped shows nothing: " + elsewhere);
        }
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
          - job_name: %s
            static_configs:
              - targets: ['127.0.0.1:%d']
          - job_name: %s
            static_configs:
              - targets: ['127.0.0.1:%d']
        """.formatted(JOB, appPort, OTHER_JOB, appPort));
    Path data = Files.createDirectories(dir.resolve("data"));
    return new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config, "--storage.tsdb.path=" + data,
        "--web.listen-address=127.0.0.1:" + webPort)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
  }

  /**
   * The values a variable offers, as Grafana computes {@code label_values(SELECTOR, LABEL)}: the
   * label's values over the series the selector matches ({@code /api/v1/series}), the variables it
   * depends on given the values picked.
   */
  private Set<String> variableValues(int webPort, Dashboard.Variable variable, Map<Dashboard.Variable, List<String>> picked,
      Process prometheus) throws IOException, InterruptedException {
    Matcher labelValues = LABEL_VALUES.matcher(variable.query());
    assertTrue(labelValues.matches(), variable.query());
    String selector = Dashboard.forPrometheus(labelValues.group(1), picked);
    Set<String> values = new TreeSet<>();
    for (JsonNode series : awaitData(webPort, "series?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8),
        prometheus)) {
      values.add(series.path(labelValues.group(2)).asText());
    }
    return values;
  }

  /** The query's instant-vector result now, empty or not. */
  private JsonNode query(int webPort, String query) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort
        + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    assertEquals("success", body.path("status").asText(), query + ": " + response.body());
    return body.path("data").path("result");
  }

  /** The query's non-empty instant-vector result, retried for up to 60 s (Prometheus starts, then scrapes each second). */
  private JsonNode awaitResult(int webPort, String query, Process prometheus) throws IOException, InterruptedException {
    return awaitData(webPort, "query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8), prometheus);
  }

  /**
   * The non-empty answer of the HTTP API at {@code /api/v1/CALL} (a query's result, or the series
   * matched), retried for up to 60 s.
   */
  private JsonNode awaitData(int webPort, String call, Process prometheus) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + webPort + "/api/v1/" + call);
    String last = "(no answer)";
    for (int attempt = 0; attempt < 120 && prometheus.isAlive(); attempt++) {
      try {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        last = response.statusCode() + " " + response.body();
        JsonNode body = JSON.readTree(response.body());
        if (body.path("status").asText().equals("error")) {
          throw new AssertionError("Prometheus rejects " + uri + ": " + response.body());
        }
        JsonNode data = body.path("data");
        JsonNode found = data.isArray() ? data : data.path("result");
        if (found.size() > 0) {
          return found;
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no result for " + uri + "; last answer: " + last + "\nprometheus log:\n"
        + Files.readString(dir.resolve("prometheus.log")));
  }
}
