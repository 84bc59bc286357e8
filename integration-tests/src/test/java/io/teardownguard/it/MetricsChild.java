package io.teardownguard.it;

import io.teardownguard.it.support.RepeatedSample;
import io.teardownguard.it.support.UnsafeCloseApp;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A child JVM under the agent with {@code metrics=prometheus:PORT}, kept alive (a hold file) until
 * closed, so that a test or a Prometheus server can scrape it: either {@link UnsafeCloseApp} or
 * a program of sample-apps run again and again ({@link RepeatedSample}).
 */
final class MetricsChild implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String TEST_CLASSES = System.getProperty("tg.testClasses", "target/test-classes");
  private static final String SAMPLES_JAR =
      System.getProperty("tg.samplesJar", "../sample-apps/target/teardown-guard-samples.jar");

  private final Process process;
  private final Path hold;
  private final Path out;
  private final Path err;
  final int port;

  private MetricsChild(Process process, Path hold, Path out, Path err, int port) {
    this.process = process;
    this.hold = hold;
    this.out = out;
    this.err = err;
    this.port = port;
  }

  /**
   * Starts {@link UnsafeCloseApp}: {@code closes} unsafe closes (CLOSE_WITH_UNREAD_DATA), then it
   * waits, closing badly every 100 ms meanwhile if {@code repeat}.
   */
  static MetricsChild start(int jdk, Path dir, int closes, boolean repeat) throws IOException {
    Path hold = dir.resolve("hold");
    List<String> args = new ArrayList<>(List.of(UnsafeCloseApp.class.getName(), "--count", Integer.toString(closes),
        "--hold", hold.toString()));
    if (repeat) {
      args.add("--repeat");
    }
    return launch(jdk, dir, TEST_CLASSES, hold, args);
  }

  /** Starts the sample program {@code mainClass} of sample-apps, run again and again until closed. */
  static MetricsChild startSample(int jdk, Path dir, String mainClass) throws IOException {
    Path hold = dir.resolve("hold");
    return launch(jdk, dir, TEST_CLASSES + File.pathSeparator + SAMPLES_JAR, hold,
        List.of(RepeatedSample.class.getName(), mainClass, hold.toString()));
  }

  private static MetricsChild launch(int jdk, Path dir, String classPath, Path hold, List<String> args)
      throws IOException {
    int port = ChildJvm.freeLoopbackPort();
    Path out = dir.resolve("app.out");
    Path err = dir.resolve("app.err");
    Process process = ChildJvm.start(ChildJvm.jdk(jdk),
        List.of("-javaagent:" + ChildJvm.AGENT_JAR + "=summary=off,metrics=prometheus:" + port, "-cp", classPath),
        out, err, args.toArray(String[]::new));
    return new MetricsChild(process, hold, out, err, port);
  }

  /**
   * The endpoint's text once it answers and counts at least {@code findings} findings (the agent
   * starts it on its warm-up thread, the application closes on its own): retried for up to 30 s.
   */
  String scrapeOnceCounted(long findings) throws IOException, InterruptedException {
    String series = "teardown_findings_total{rule=\"CLOSE_WITH_UNREAD_DATA\",severity=\"ERROR\"} ";
    String last = "(no answer)";
    for (int attempt = 0; attempt < 150; attempt++) {
      try {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        last = response.statusCode() + "\n" + response.body();
        if (response.statusCode() == 200 && response.body().lines().anyMatch(
            line -> line.startsWith(series) && Double.parseDouble(line.substring(series.length())) >= findings)) {
          return response.body();
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no '" + series + "' >= " + findings + " from the endpoint on port " + port + "; last answer: " + last
        + "\napplication stderr: " + Files.readString(err));
  }

  /** The sample names in a text-format scrape: what a PromQL query can select. */
  static Set<String> sampleNames(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  String stdout() throws IOException {
    return Files.readString(out);
  }

  String stderr() throws IOException {
    return Files.readString(err);
  }

  /** Lets the application finish; its exit code (-1 if it had to be killed). */
  int finish() throws IOException, InterruptedException {
    Files.createFile(hold);
    return ChildJvm.stop(process, 30);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (process.isAlive()) {
      Files.deleteIfExists(hold);
      Files.createFile(hold);
      ChildJvm.stop(process, 30);
    }
  }
}
