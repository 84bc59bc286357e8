package io.teardownguard.agent.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * {@code samples SAMPLES_JAR [--sample CLASS]...}: runs every sample program of the catalogue
 * ({@code samples.txt} in the jar) in its own JVM with this agent, prints what the agent found,
 * and checks it against the catalogue: each unsafe variant flagged with its rules at its call
 * sites, each fixed variant clean. Exits 0 only if all match.
 */
public final class SampleRunner {
  public static final String USAGE = "usage: java -jar teardown-guard-agent.jar samples SAMPLES_JAR [--sample CLASS]...";
  private static final long TIMEOUT_SECONDS = 60;

  private final PrintStream out;
  private final PrintStream err;

  public SampleRunner(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public int run(List<String> args) {
    if (args.isEmpty() || args.get(0).startsWith("--")) {
      err.println("teardown-guard: samples: the first argument is the samples jar");
      err.println(USAGE);
      return 2;
    }
    Path samplesJar = Path.of(args.get(0));
    Set<String> selected = new TreeSet<>();
    for (int i = 1; i < args.size(); i++) {
      if (!args.get(i).equals("--sample") || i + 1 >= args.size()) {
        err.println("teardown-guard: samples: unknown option '" + args.get(i) + "'; accepted: --sample CLASS");
        err.println(USAGE);
        return 2;
      }
      selected.add(args.get(++i));
    }
    try {
      List<Sample> catalogue = catalogue(samplesJar);
      int failed = 0;
      int ran = 0;
      for (Sample sample : catalogue) {
        if (selected.isEmpty() || selected.contains(sample.mainClass())) {
          ran++;
          failed += runOne(samplesJar, sample) ? 0 : 1;
        }
      }
      out.println("samples: " + (ran - failed) + "/" + ran + " as expected (unsafe variants flagged, fixed variants clean)");
      return failed == 0 && ran > 0 ? 0 : 1;
    } catch (IOException | InterruptedException | URISyntaxException e) {
      err.println("teardown-guard: samples: " + e.getMessage());
      return 1;
    }
  }

  private boolean runOne(Path samplesJar, Sample sample) throws IOException, InterruptedException, URISyntaxException {
    Path report = Files.createTempFile("teardown-guard-sample", ".jsonl");
    Path output = Files.createTempFile("teardown-guard-sample", ".out");
    try {
      List<String> command = List.of(javaExecutable(), "-javaagent:" + agentJar() + "=report=" + report + ",summary=off",
          "-cp", samplesJar.toString(), sample.mainClass());
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!finished) {
        process.destroyForcibly();
      }
      List<ReportedFinding> findings = ReportedFinding.read(report);
      Set<String> found = new TreeSet<>();
      findings.forEach(f -> found.add(f.ruleAtMethod()));
      boolean ok = finished && process.exitValue() == 0 && found.equals(sample.expected());
      out.println((ok ? "ok    " : "WRONG ") + sample.mainClass() + "  expected " + describe(sample.expected())
          + (ok ? "" : ", found " + describe(found) + (finished ? ", exit " + process.exitValue() : ", timed out")));
      Files.readAllLines(output, StandardCharsets.UTF_8).forEach(line -> out.println("        | " + line));
      for (ReportedFinding finding : findings) {
        out.println("        " + finding.severity() + " " + finding.rule() + " at " + finding.site());
        out.println("          " + finding.message());
      }
      return ok;
    } finally {
      Files.deleteIfExists(report);
      Files.deleteIfExists(output);
    }
  }

  private static String describe(Set<String> findings) {
    return findings.isEmpty() ? "clean" : String.join(", ", findings);
  }

  private static List<Sample> catalogue(Path samplesJar) throws IOException {
    try (JarFile jar = new JarFile(samplesJar.toFile())) {
      var entry = jar.getJarEntry("samples.txt");
      if (entry == null) {
        throw new IOException(samplesJar + " has no samples.txt catalogue");
      }
      try (InputStream in = jar.getInputStream(entry)) {
        List<Sample> samples = new ArrayList<>();
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          String text = line.strip();
          if (!text.isEmpty() && !text.startsWith("#")) {
            samples.add(Sample.parse(text));
          }
        }
        return samples;
      }
    }
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static String agentJar() throws URISyntaxException {
    return Path.of(SampleRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
