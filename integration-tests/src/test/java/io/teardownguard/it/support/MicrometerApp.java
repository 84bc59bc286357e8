package io.teardownguard.it.support;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An application with its own Micrometer, run by {@code MicrometerBridgeIT} in a child JVM whose
 * class path has micrometer-core: it first tears sockets down unsafely (before it has touched
 * Micrometer at all), then adds a {@link SimpleMeterRegistry} to {@code Metrics.globalRegistry} and
 * prints every {@code teardown.*} meter of ITS registry, one per line:
 * {@code meter teardown.findings rule=CLOSE_WITH_UNREAD_DATA severity=ERROR 2.0}. With
 * {@code --scrape PORT} it then prints the findings line of the agent's own Prometheus endpoint
 * (its relocated Micrometer, in the same JVM). With {@code --wait FILE} it adds its registry first,
 * then prints "waiting" and waits for FILE before the closes, so that a test can attach the agent
 * to a JVM whose Micrometer is already loaded.
 */
public final class MicrometerApp {
  private MicrometerApp() {}

  public static void main(String[] args) throws Exception {
    String wait = null;
    String scrapePort = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--wait" -> wait = args[++i];
        case "--scrape" -> scrapePort = args[++i];
        default -> throw new IllegalArgumentException(args[i]);
      }
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    if (wait == null) {
      UnsafeCloseApp.main(new String[] {"--count", "2"});
      Metrics.globalRegistry.add(registry);
    } else {
      // For a dynamic attach: Micrometer is loaded and in use before the agent comes.
      Metrics.globalRegistry.add(registry);
      UnsafeCloseApp.main(new String[] {"--count", "2", "--wait", wait});
    }
    // The agent registers its meters from its own thread once Micrometer is loaded: bounded wait.
    for (int i = 0; i < 200 && registry.find("teardown.agent.errors").meter() == null; i++) {
      Thread.sleep(50);
    }
    List<String> lines = new ArrayList<>();
    for (Meter meter : registry.getMeters()) {
      if (meter.getId().getName().startsWith("teardown.")) {
        StringBuilder line = new StringBuilder("meter ").append(meter.getId().getName());
        for (Tag tag : meter.getId().getTags()) {
          line.append(' ').append(tag.getKey()).append('=').append(tag.getValue());
        }
        lines.add(line.append(' ').append(meter.measure().iterator().next().getValue()).toString());
      }
    }
    lines.sort(null);
    lines.forEach(System.out::println);
    // Its Micrometer is its own jar's, whatever the agent carries inside (relocated).
    System.out.println("micrometer " + Metrics.class.getProtectionDomain().getCodeSource().getLocation());
    if (scrapePort != null) {
      System.out.println("scrape " + scrapeFindings(Integer.parseInt(scrapePort)));
    }
  }

  /** The endpoint's findings line for CLOSE_WITH_UNREAD_DATA, retried for up to 10 s while it starts. */
  private static String scrapeFindings(int port) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(2)).build();
    for (int i = 0; i < 50; i++) {
      try {
        for (String line : http.send(request, HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
          if (line.startsWith("teardown_findings_total{rule=\"CLOSE_WITH_UNREAD_DATA\"")) {
            return line;
          }
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    return "(none)";
  }
}
