package io.teardownguard.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measurement 1b: the server alone carries the agent, the client runs in a second JVM without
 * it: the usual deployment, where the agent sees one close per connection. Throughput is
 * measured by the client; the agent's time in the server's close delays the client's EOF.
 */
final class SplitChurnBenchmark {
  static final List<AgentSetting> SETTINGS = List.of(AgentSetting.WITHOUT, AgentSetting.WITH);
  private static final long STARTUP_TIMEOUT_MILLIS = 30_000;
  private static final long EXIT_TIMEOUT_SECONDS = 30;

  private final ChildJvm jvm;
  private final Settings settings;
  private final PrintStream progress;

  SplitChurnBenchmark(ChildJvm jvm, Settings settings, PrintStream progress) {
    this.jvm = jvm;
    this.settings = settings;
    this.progress = progress;
  }

  /** Each round: one client run against a server without the agent and one with, order rotated. */
  List<Double> ratios(Jdk jdk, List<Double> withoutRates) throws IOException, InterruptedException {
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < settings.rounds(); round++) {
      double without = 0;
      double with = 0;
      for (AgentSetting setting : Rotation.of(SETTINGS, round)) {
        double rate = clientRate(jdk, setting);
        if (setting == AgentSetting.WITHOUT) {
          without = rate;
        } else {
          with = rate;
        }
      }
      withoutRates.add(without);
      ratios.add(with / without);
      progress.println(Text.format("split churn %s round %d/%d: server without agent %.0f/s; with %.0f/s",
          jdk.label(), round + 1, settings.rounds(), without, with));
    }
    return ratios;
  }

  private double clientRate(Jdk jdk, AgentSetting serverSetting) throws IOException, InterruptedException {
    String what = "split churn on " + jdk.label() + ", server " + serverSetting.label();
    Path out = Files.createTempFile("tg-bench-server", ".out");
    Path err = Files.createTempFile("tg-bench-server", ".err");
    List<String> serverCommand = jvm.command(jdk, serverSetting, Settings.CHURN_JVM_OPTIONS, ChurnWorkload.class,
        List.of("--role", "server", "--max-seconds", String.valueOf(settings.churnTimeoutSeconds() + 60)));
    Process server = jvm.start(serverCommand, out, err);
    try {
      int port = awaitPort(what, server, out);
      List<String> args = new ArrayList<>(settings.timedArgs());
      args.addAll(List.of("--role", "client", "--port", String.valueOf(port)));
      List<String> clientCommand = jvm.command(jdk, AgentSetting.WITHOUT, Settings.CHURN_JVM_OPTIONS, ChurnWorkload.class, args);
      ChurnRun run = ChurnRun.parse(what, jvm.run(what + " (client)", clientCommand, settings.churnTimeoutSeconds()).stdout());
      stop(what, server, out, err);
      return run.perSecond();
    } finally {
      if (server.isAlive()) {
        ChildJvm.kill(server);
      }
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Polls the server's stdout for its first line, "listening port=P", bounded. */
  private static int awaitPort(String what, Process server, Path out) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_TIMEOUT_MILLIS);
    while (System.nanoTime() < deadline) {
      String text = Files.readString(out, StandardCharsets.UTF_8);
      int end = text.indexOf('\n'); // a line is only read once complete
      if (end > 0 && text.startsWith("listening ") && Text.field(text.substring(0, end), "port") > 0) {
        return (int) Text.field(text.substring(0, end), "port");
      }
      if (!server.isAlive()) {
        break;
      }
      Thread.sleep(10);
    }
    throw new BenchmarkException(what + ": the server printed no 'listening port=P' within " + STARTUP_TIMEOUT_MILLIS + " ms");
  }

  /** Closes the server's stdin, its signal to stop, and checks that it served without error. */
  private static void stop(String what, Process server, Path out, Path err) throws IOException, InterruptedException {
    server.getOutputStream().close();
    if (!server.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new BenchmarkException(what + ": the server did not exit within " + EXIT_TIMEOUT_SECONDS + " s of stdin closing");
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    String served = Text.lineStarting(Files.readAllLines(out, StandardCharsets.UTF_8), "served ");
    if (server.exitValue() != 0 || !stderr.isBlank() || served == null || Text.field(served, "errors") != 0) {
      throw new BenchmarkException(what + ": server exit " + server.exitValue() + ", " + served + ", stderr: "
          + ChildJvm.firstLine(stderr));
    }
  }
}
