package io.teardownguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The window between the agent's kernel reading and the JDK's close(2) of the same descriptor
 * (issue 13 point 11: bytes that arrive in it make the prediction wrong). The workload runs under
 * {@code strace -f -ttt -T}; on the workload's thread, each close(fd) that follows a probe call on
 * fd gives one gap: the close's start less the probe call's end. strace stops the thread at every
 * system call, which lengthens every gap alike; the figure compares agents, it is no absolute.
 */
final class ProbeGap {
  /** Gaps in µs, median and 99th percentile, and how many closes they came from. */
  record Gaps(double median, double p99, int closes) {}

  /** "TID SECONDS.MICROS name(args) = result <DURATION>", a call strace printed whole. */
  private static final Pattern WHOLE = Pattern.compile("^(\\d+) +(\\d+\\.\\d+) (\\w+)\\((\\d+)?(.*) = .* <(\\d+\\.\\d+)>$");
  private static final long WARMUP_MILLIS = 5_000;

  private ProbeGap() {}

  static Gaps measure(ChildJvm jvm, Jdk jdk, String agentOptions, String workload, long connections)
      throws IOException, InterruptedException {
    String what = "strace -ttt -T of " + workload + " on " + jdk.label() + ", " + agentOptions;
    Path log = Files.createTempFile("tg-bench-gap", ".log");
    try {
      List<String> command = new ArrayList<>(List.of("strace", "-f", "-qq", "-ttt", "-T", "-o", log.toString()));
      command.addAll(jvm.workload(jdk, agentOptions, workload));
      try (Child child = Child.start(what, command)) {
        child.run(WARMUP_MILLIS);
        child.count(connections);
      }
      return parse(what, log);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  static Gaps parse(String what, Path log) throws IOException {
    String workloadThread = null;
    Map<String, Double> probeEndByFd = new HashMap<>();
    List<Double> gaps = new ArrayList<>();
    try (BufferedReader lines = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (workloadThread == null) {
          if (line.contains(WorkloadChild.WINDOW_START)) {
            workloadThread = line.substring(0, line.indexOf(' '));
          }
          continue;
        }
        if (line.contains(WorkloadChild.WINDOW_END)) {
          break;
        }
        Matcher call = WHOLE.matcher(line);
        if (!call.matches() || !call.group(1).equals(workloadThread) || call.group(4) == null) {
          continue; // another thread's, or cut in two by one (too rare on the workload's thread to matter)
        }
        double start = Double.parseDouble(call.group(2));
        String fd = call.group(4);
        String text = call.group(3) + "(" + fd + call.group(5);
        if (SyscallCount.PROBE.matcher(text).find()) {
          probeEndByFd.put(fd, start + Double.parseDouble(call.group(6)));
        } else if (call.group(3).equals("close")) {
          Double probeEnd = probeEndByFd.remove(fd);
          if (probeEnd != null) {
            gaps.add((start - probeEnd) * 1e6);
          }
        }
      }
    }
    if (gaps.isEmpty()) {
      throw new BenchmarkException(what + ": no close after a probe call in the strace log's window");
    }
    Collections.sort(gaps);
    return new Gaps(Stats.quantile(gaps, 0.5), Stats.quantile(gaps, 0.99), gaps.size());
  }
}
