package io.teardownguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running {@link WorkloadChild}: the harness sends it commands and reads one answer each,
 * so two children can take turns while both stay warm.
 */
final class Child implements AutoCloseable {
  /** What one command's operations took: wall time, and the CPU time of the thread that ran them. */
  record Segment(long ops, long nanos, long cpuNanos) {
    double perSecond() {
      return ops * 1e9 / nanos;
    }

    double cpuMicrosPerOp() {
      return cpuNanos / 1e3 / ops;
    }
  }

  /** Bounds one answer: a run of ~1 s, or a counted window under strace, plus start-up. */
  private static final long ANSWER_TIMEOUT_SECONDS = 600;
  private static final String END = "\u0000end";

  private final String what;
  private final Process process;
  private final Path stderr;
  private final OutputStream commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

  private Child(String what, Process process, Path stderr) {
    this.what = what;
    this.process = process;
    this.stderr = stderr;
    this.commands = process.getOutputStream();
    Thread reader = new Thread(this::readAnswers, "answers of " + what);
    reader.setDaemon(true);
    reader.start();
  }

  static Child start(String what, List<String> command) throws IOException {
    Path stderr = Files.createTempFile("tg-bench", ".err");
    ProcessBuilder builder = ChildJvm.builder(command).redirectError(stderr.toFile());
    return new Child(what, builder.start(), stderr);
  }

  /** {@code run MILLIS}: the operations done in about that long. */
  Segment run(long millis) throws IOException, InterruptedException {
    return segment(ask("run " + millis));
  }

  /** {@code count N}: N operations between the strace window markers. */
  Segment count(long operations) throws IOException, InterruptedException {
    return segment(ask("count " + operations));
  }

  /** Used heap after a full GC, in bytes. */
  long heapAfterGc() throws IOException, InterruptedException {
    return Text.field(ask("heap"), "used");
  }

  private Segment segment(String answer) throws BenchmarkException {
    long ops = Text.field(answer, "ops");
    long nanos = Text.field(answer, "nanos");
    long cpuNanos = Text.field(answer, "cpuNanos");
    if (ops <= 0 || nanos <= 0 || cpuNanos < 0) {
      throw new BenchmarkException(what + ": expected 'done ops=N nanos=T cpuNanos=C', got '" + answer + "'");
    }
    return new Segment(ops, nanos, cpuNanos);
  }

  private String ask(String command) throws IOException, InterruptedException {
    commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    commands.flush();
    String answer = answers.poll(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (answer == null || answer.equals(END)) {
      throw new BenchmarkException(what + ": no answer to '" + command + "'"
          + (answer == null ? " within " + ANSWER_TIMEOUT_SECONDS + " s" : "; it exited") + ", stderr: " + errors());
    }
    return answer;
  }

  private void readAnswers() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        answers.add(line);
      }
    } catch (IOException e) {
      // the process went away: ask() reports it, with its stderr
    } finally {
      answers.add(END);
    }
  }

  private String errors() throws IOException {
    return ChildJvm.firstLine(Files.readString(stderr, StandardCharsets.UTF_8));
  }

  /** Closes stdin (the child's signal to stop); fails if it then errs, or does not exit. */
  @Override
  public void close() throws IOException {
    try {
      commands.close();
      if (!process.waitFor(SocketPair.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        throw new BenchmarkException(what + ": still running " + SocketPair.TIMEOUT_MILLIS + " ms after stdin closed");
      }
      String errors = Files.readString(stderr, StandardCharsets.UTF_8);
      if (process.exitValue() != 0 || !errors.isBlank()) {
        throw new BenchmarkException(what + ": exit " + process.exitValue() + ", stderr: " + ChildJvm.firstLine(errors));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ChildJvm.kill(process);
      Files.deleteIfExists(stderr);
    }
  }
}
