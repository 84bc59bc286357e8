package io.teardownguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the benchmark's child JVMs, with or without the agent, each bounded in time. */
final class ChildJvm {
  /** What a finished child printed on stdout, and how long it took from start() to exit. */
  record Result(List<String> stdout, long nanos) {}

  private final String classpath;
  private final Path agentJar;

  ChildJvm(String classpath, Path agentJar) {
    this.classpath = classpath;
    this.agentJar = agentJar;
  }

  Path agentJar() {
    return agentJar;
  }

  /** {@code java [-javaagent:jar=options] jvmOptions -cp classpath main args}. */
  List<String> command(Jdk jdk, String agentOptions, List<String> jvmOptions, Class<?> main, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(jdk.java().toString());
    if (agentOptions != null) {
      command.add("-javaagent:" + agentJar + "=" + agentOptions);
    }
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath, main.getName()));
    command.addAll(args);
    return command;
  }

  List<String> command(Jdk jdk, AgentSetting agent, List<String> jvmOptions, Class<?> main, List<String> args) {
    return command(jdk, agent.options(), jvmOptions, main, args);
  }

  /**
   * Runs the command to completion; fails with the child's first stderr line if it exits
   * non-zero, writes to stderr (a warning would mean the run is not what it claims), or
   * outlives {@code timeoutSeconds}.
   */
  Result run(String what, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    Path out = Files.createTempFile("tg-bench", ".out");
    Path err = Files.createTempFile("tg-bench", ".err");
    try {
      ProcessBuilder builder = builder(command, out, err);
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

  /** Starts a long-running child (the split benchmark's server); the caller stops it. */
  Process start(List<String> command, Path out, Path err) throws IOException {
    return builder(command, out, err).start();
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

  private static ProcessBuilder builder(List<String> command, Path out, Path err) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    // The agent also reads TEARDOWN_GUARD_* and every JVM reads these: none may change a child.
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("TEARDOWN_GUARD_"));
    environment.keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
    return builder;
  }
}
