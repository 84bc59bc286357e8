package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.it.support.UnsafeCloseApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A JVM to attach the agent to: {@link UnsafeCloseApp} (or another test-support program) started
 * without the agent, waiting (bounded) until {@link #closeAndFinish} lets it make its closes. Its stderr goes to a file apart:
 * JDK 21+ warns there that an agent was loaded dynamically (JEP 451).
 */
final class AttachTarget implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final Path go;
  private final Path stderr;

  private AttachTarget(Process process, Path go, Path stderr) {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.go = go;
    this.stderr = stderr;
  }

  /** Starts it on JDK {@code feature} with {@code jvmOptions}; returns once it waits. */
  static AttachTarget start(int feature, Path dir, List<String> jvmOptions) throws IOException {
    return start(feature, dir, jvmOptions, UnsafeCloseApp.class, go -> List.of("--wait", go.toString()));
  }

  /**
   * Starts another test-support program that prints "waiting", waits (bounded) for the file its
   * {@code arguments} are given, then prints "done".
   */
  static AttachTarget start(int feature, Path dir, List<String> jvmOptions, Class<?> main,
      Function<Path, List<String>> arguments) throws IOException {
    Path go = dir.resolve("go");
    Path stderr = dir.resolve("stderr.txt");
    List<String> command = new ArrayList<>(List.of(ChildJvm.jdk(feature).resolve("bin/java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("tg.testClasses", "target/test-classes"), main.getName()));
    command.addAll(arguments.apply(go));
    AttachTarget target = new AttachTarget(new ProcessBuilder(command).redirectError(stderr.toFile()).start(), go, stderr);
    assertEquals("waiting", target.out.readLine());
    return target;
  }

  long pid() {
    return process.pid();
  }

  /** Lets it close (CLOSE_WITH_UNREAD_DATA at rejectRequest) and exit; its exit code. */
  int closeAndFinish() throws IOException, InterruptedException {
    Files.createFile(go);
    assertEquals("done", out.readLine());
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not exit in 60 s");
    return process.exitValue();
  }

  String stderr() throws IOException {
    return Files.readString(stderr);
  }

  /** The report holds the finding its close makes, at its call site. */
  static void assertReportsItsFinding(Path report) throws IOException {
    List<String> lines = Files.readAllLines(report);
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"rule\":\"CLOSE_WITH_UNREAD_DATA\"")
        && l.contains(UnsafeCloseApp.class.getName() + ".rejectRequest")), String.join("\n", lines));
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    out.close();
  }
}
