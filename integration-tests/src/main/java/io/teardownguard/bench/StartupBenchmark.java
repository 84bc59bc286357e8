package io.teardownguard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Measurement 2: what the agent adds to JVM start-up, from ProcessBuilder.start() to exit of a
 * program that prints one line. Three kinds of start alternate, in an order rotated per
 * repetition: no agent, an empty agent (the JVM's own price for any -javaagent) and Teardown
 * Guard. The first starts of each kind are discarded (they fill the page cache).
 */
final class StartupBenchmark {
  /** The kinds of start compared. */
  enum Kind {
    WITHOUT("without agent"),
    EMPTY_AGENT("empty -javaagent"),
    AGENT("Teardown Guard, summary=off");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private static final int DISCARDED_STARTS = 2;
  private static final long TIMEOUT_SECONDS = 60;

  private final ChildJvm jvm;
  private final Settings settings;
  private final PrintStream progress;
  private final Path emptyAgentJar;

  StartupBenchmark(ChildJvm jvm, Settings settings, PrintStream progress, Path emptyAgentJar) {
    this.jvm = jvm;
    this.settings = settings;
    this.progress = progress;
    this.emptyAgentJar = emptyAgentJar;
  }

  /** Writes a jar whose Premain-Class is {@link EmptyAgent}, for the empty-agent starts. */
  static void writeEmptyAgentJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), EmptyAgent.class.getName());
    String entry = EmptyAgent.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream classFile = EmptyAgent.class.getResourceAsStream("EmptyAgent.class")) {
      if (classFile == null) {
        throw new BenchmarkException("EmptyAgent.class is not on the class path");
      }
      out.putNextEntry(new JarEntry(entry));
      classFile.transferTo(out);
      out.closeEntry();
    }
  }

  /** Start-up milliseconds of each kind on one JDK, in repetition order. */
  Map<Kind, List<Double>> measure(Jdk jdk) throws IOException, InterruptedException {
    List<Kind> kinds = List.of(Kind.values());
    for (int i = 0; i < DISCARDED_STARTS; i++) {
      for (Kind kind : kinds) {
        startMillis(jdk, kind);
      }
    }
    Map<Kind, List<Double>> times = new EnumMap<>(Kind.class);
    for (int repetition = 0; repetition < settings.starts(); repetition++) {
      for (Kind kind : Rotation.of(kinds, repetition)) {
        times.computeIfAbsent(kind, k -> new ArrayList<>()).add(startMillis(jdk, kind));
      }
    }
    progress.println(Text.format("start-up %s: %d starts each, medians: without %.1f ms, empty agent %.1f ms,"
        + " Teardown Guard %.1f ms", jdk.label(), settings.starts(), Spread.of(times.get(Kind.WITHOUT)).median(),
        Spread.of(times.get(Kind.EMPTY_AGENT)).median(), Spread.of(times.get(Kind.AGENT)).median()));
    return times;
  }

  private double startMillis(Jdk jdk, Kind kind) throws IOException, InterruptedException {
    String what = "start-up on " + jdk.label() + " " + kind.label;
    List<String> command = switch (kind) {
      case WITHOUT -> jvm.command(jdk, AgentSetting.WITHOUT, List.of(), Hello.class, List.of());
      case EMPTY_AGENT -> jvm.command(jdk, AgentSetting.WITHOUT, List.of("-javaagent:" + emptyAgentJar), Hello.class, List.of());
      case AGENT -> jvm.command(jdk, AgentSetting.WITH_DEFAULT_THRESHOLD, List.of(), Hello.class, List.of());
    };
    ChildJvm.Result result = jvm.run(what, command, TIMEOUT_SECONDS);
    if (!result.stdout().equals(List.of("hello"))) {
      throw new BenchmarkException(what + ": expected the one line 'hello', got " + result.stdout());
    }
    return result.nanos() / 1e6;
  }

  static String header() {
    return Text.header(List.of("JDK", "starts", "without agent, ms", "empty -javaagent, ms", "Teardown Guard, ms",
        "Teardown Guard minus without, ms (paired)", "Teardown Guard minus empty agent, ms (paired)"));
  }

  static void print(PrintStream out, Jdk jdk, Map<Kind, List<Double>> times) {
    List<Double> without = times.get(Kind.WITHOUT);
    List<Double> empty = times.get(Kind.EMPTY_AGENT);
    List<Double> agent = times.get(Kind.AGENT);
    out.println(Text.row(List.of(jdk.label(), String.valueOf(without.size()), Spread.of(without).format("%.1f"),
        Spread.of(empty).format("%.1f"), Spread.of(agent).format("%.1f"),
        Spread.of(differences(agent, without)).format("%+.1f"), Spread.of(differences(agent, empty)).format("%+.1f"))));
  }

  private static List<Double> differences(List<Double> a, List<Double> b) {
    List<Double> differences = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      differences.add(a.get(i) - b.get(i));
    }
    return differences;
  }
}
