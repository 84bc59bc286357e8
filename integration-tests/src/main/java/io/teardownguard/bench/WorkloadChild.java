package io.teardownguard.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;

/**
 * The measured JVM: repeats one {@link Workload} when the harness says so, and stays warm and
 * idle in between. Commands on stdin, one per line, each answered by one line on stdout:
 *
 * <pre>
 * run MILLIS   repeat the operation for MILLIS    -> "done ops=N nanos=T cpuNanos=C"
 * count N      the operation N times, between two
 *              marker system calls (for strace)   -> "done ops=N nanos=T cpuNanos=C"
 * heap         System.gc(), then the used heap    -> "heap used=BYTES"
 * </pre>
 *
 * T is wall time, C the CPU time of the thread that ran the operations: the cost without the
 * time spent waiting for a CPU that others share. EOF on stdin ends it. A failure is one line on stderr and exit 1; a bad command, exit 2.
 * Usage: {@code WorkloadChild churn|bulk|unsafe-close}.
 */
public final class WorkloadChild {
  /** Looked up with stat() around a counted window, so that an strace log shows where it is. */
  static final String WINDOW_START = "/tg-bench-window-start";
  static final String WINDOW_END = "/tg-bench-window-end";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private WorkloadChild() {}

  public static void main(String[] args) {
    String name = args.length == 1 ? args[0] : "";
    try (Workload workload = Workload.open(name);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = commands.readLine(); line != null; line = commands.readLine()) {
        System.out.println(answer(workload, line));
        System.out.flush();
      }
    } catch (Flags.BadFlagException e) {
      System.err.println("workload " + name + ": " + e.getMessage());
      System.exit(2);
    } catch (IOException e) {
      System.err.println("workload " + name + ": " + e);
      System.exit(1);
    }
  }

  private static String answer(Workload workload, String command) throws IOException {
    String[] words = command.split(" ");
    long argument = words.length == 2 ? parse(words[1]) : -1;
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    if (words[0].equals("run") && argument > 0) {
      long start = System.nanoTime();
      long end = start + argument * 1_000_000;
      long ops = 0;
      long now = start;
      while (now < end) {
        workload.once();
        ops++;
        now = System.nanoTime();
      }
      return done(ops, now - start, cpuStart);
    }
    if (words[0].equals("count") && argument > 0) {
      mark(WINDOW_START);
      long start = System.nanoTime();
      for (long i = 0; i < argument; i++) {
        workload.once();
      }
      long nanos = System.nanoTime() - start;
      mark(WINDOW_END);
      return done(argument, nanos, cpuStart);
    }
    if (command.equals("heap")) {
      System.gc(); // a full collection under G1, the default collector
      Runtime runtime = Runtime.getRuntime();
      return "heap used=" + (runtime.totalMemory() - runtime.freeMemory());
    }
    throw new Flags.BadFlagException("expected 'run MILLIS', 'count N' or 'heap', got '" + command + "'");
  }

  /** A stat() of a path that does not exist, for the harness to find in the strace log. */
  private static void mark(String path) throws IOException {
    if (new File(path).exists()) {
      throw new IOException(path + " exists; it must not, it only marks a window");
    }
  }

  private static long parse(String number) {
    try {
      return Long.parseLong(number);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String done(long ops, long nanos, long cpuStart) {
    return "done ops=" + ops + " nanos=" + nanos + " cpuNanos=" + (THREADS.getCurrentThreadCpuTime() - cpuStart);
  }
}
