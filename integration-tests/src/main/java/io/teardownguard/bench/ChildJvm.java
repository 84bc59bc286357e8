package io.teardownguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command lines of the benchmark's child JVMs: pinned to one CPU with {@code taskset}, a
 * fixed heap limit, with or without the agent. Both sides of a comparison get the same command
 * but for the {@code -javaagent}.
 */
final class ChildJvm {
  /** What a finished child printed on stdout, and how long it took from start() to exit. */
  record Result(List<String> stdout, long nanos) {}

  /** One fixed heap limit, so that GC sizing does not differ between the two sides. */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx256m");

  private final String classpath;
  private final Path agentJar;
  private final int cpu;

  ChildJvm(String classpath, Path agentJar, int cpu) {
    this.classpath = classpath;
    this.agentJar = agentJar;
    this.cpu = cpu;
  }

  Path agentJar() {
    return agentJar;
  }

  int cpu() {
    return cpu;
  }

  /** {@code taskset -c CPU java [-javaagent:jar=options] -Xmx256m -cp classpath main args}. */
  List<String> command(Jdk jdk, String agentOptions, Class<?> main, List<String> args) {
    List<String> command = new ArrayList<>(List.of("taskset", "-c", String.valueOf(cpu), jdk.java().toString()));
    if (agentOptions != null) {
      command.add("-javaagent:" + agentJar + "=" + agentOptions);
    }
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-cp", classpath, main.getName()));
    command.addAll(args);
    return command;
  }

  /** A {@link WorkloadChild} of {@code workload}, with the agent's options or none (null). */
  List<String> workload(Jdk jdk, String agentOptions, String workload) {
    return command(jdk, agentOptions, WorkloadChild.class, List.of(workload));
  }

  /**
   * Runs the command to completion; fails with the child's first stderr line if it exits
   * non-zero, writes to stderr (a warning would mean the run is not what it claims), or
   * outlives {@code timeoutSeconds}.
   */
  static Result run(String what, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    Path out = Files.createTempFile("tg-bench", ".out");
    Path err = Files.createTempFile("tg-bench", ".err");
    try {
      ProcessBuilder builder = builder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      long start = System.nanoTime();
      Process process = builder.start();
      boolean exited = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      long nanos = System.nanoTime() - start;
      if (!exited) {
        kill(process);
        throw new BenchmarkException(what + ": still running after " + timeoutSeconds + " s; killed");
      }
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (process.exitValue() != 0 || !stderr.isBlank()) {
        throw new BenchmarkException(what + ": exit " + process.exitValue() + ", stderr: " + firstLine(stderr));
      }
      return new Result(Files.readAllLines(out, StandardCharsets.UTF_8), nanos);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static ProcessBuilder builder(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command);
    // The agent also reads TEARDOWN_GUARD_* and every JVM reads these: none may change a child.
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("TEARDOWN_GUARD_"));
    environment.keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
    return builder;
  }

  static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  static String firstLine(String text) {
    String trimmed = text.strip();
    int end = trimmed.indexOf('\n');
    return trimmed.isEmpty() ? "(empty)" : end < 0 ? trimmed : trimmed.substring(0, end) + " ...";
  }
}
