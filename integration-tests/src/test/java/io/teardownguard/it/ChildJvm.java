package io.teardownguard.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged agent jar in a child JVM of a chosen JDK, bounded in time. Public for the
 * field and stress suites (it.field, it.stress).
 */
public final class ChildJvm {
  public static final Path AGENT_JAR = Path.of(System.getProperty("tg.agentJar", "../agent/target/teardown-guard-agent.jar"));

  public record Result(int exitCode, String stdout, String stderr) {}

  private ChildJvm() {}

  /** The JDK home the build names for {@code feature} (17 or 25); fails if it is missing. */
  public static Path jdk(int feature) {
    String home = System.getProperty("tg.jdk" + feature);
    if (home == null || !Files.isExecutable(Path.of(home, "bin", "java"))) {
      throw new IllegalStateException("JDK " + feature + " not found at '" + home
          + "': the tests prove the agent on it; run them through bin/tg test");
    }
    return Path.of(home);
  }

  static Result runJar(Path jdkHome, long timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> jarArgs = new ArrayList<>(List.of("-jar", AGENT_JAR.toString()));
    jarArgs.addAll(List.of(args));
    return run(jdkHome, timeoutSeconds, List.of(), jarArgs.toArray(String[]::new));
  }

  /** Runs {@code java <jvmOptions> <args>} with the given JDK, bounded in time. */
  static Result run(Path jdkHome, long timeoutSeconds, List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    return run(jdkHome, timeoutSeconds, jvmOptions, java.util.Map.of(), args);
  }

  /** As {@link #run(Path, long, List, String...)}, with extra environment variables. */
  static Result run(Path jdkHome, long timeoutSeconds, List<String> jvmOptions, java.util.Map<String, String> env,
      String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(jdkHome.resolve("bin/java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of(args));
    return runCommand(command, env, timeoutSeconds);
  }

  /** Runs one of the JDK's tools ({@code jfr}, ...), bounded in time. */
  static Result runTool(Path jdkHome, String tool, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(jdkHome.resolve("bin").resolve(tool).toString()));
    command.addAll(List.of(args));
    return runCommand(command, java.util.Map.of(), timeoutSeconds);
  }

  /** Runs {@code command} (a JVM under {@code unshare -n}, say), bounded in time. */
  public static Result runCommand(List<String> command, java.util.Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("tg-child", ".out");
    Path err = Files.createTempFile("tg-child", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Starts {@code java <jvmOptions> <args>} with the given JDK without waiting, its output to
   * files; the caller stops it (see {@link #stop}).
   */
  static Process start(Path jdkHome, List<String> jvmOptions, Path out, Path err, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(jdkHome.resolve("bin/java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
  }

  /** Waits up to {@code seconds} for {@code process} to exit, then kills it; its exit code, or -1 if killed. */
  static int stop(Process process, long seconds) throws InterruptedException {
    if (process.waitFor(seconds, TimeUnit.SECONDS)) {
      return process.exitValue();
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    return -1;
  }

  /** A port free on 127.0.0.1 right now (the kernel's choice), for a child to listen on. */
  static int freeLoopbackPort() throws IOException {
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return probe.getLocalPort();
    }
  }

  public static boolean runningAsRoot() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("Uid:"))
        .map(line -> line.split("\\s+")[2])
        .anyMatch("0"::equals);
  }
}
