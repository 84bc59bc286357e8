package io.teardownguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * System calls per churn connection, counted with {@code strace -f} over a window of N
 * connections after a warm-up: every call between the two marker stat() calls of
 * {@link WorkloadChild}, per thread, and among them the agent's probe calls. Counts do not
 * depend on the machine's noise.
 */
final class SyscallCount {
  /**
   * Counts over the window: on the thread that ran the workload (the one that made the markers),
   * and on all others (the JIT compilers, GC, the agent's own threads), which strace slows down
   * so much that their share is larger than in a run without it.
   */
  record Counts(long connections, long onWorkloadThread, long elsewhere, long probe, long probeElsewhere,
      Map<String, Long> byName) {
    double perConnection() {
      return onWorkloadThread / (double) connections;
    }

    double elsewherePerConnection() {
      return elsewhere / (double) connections;
    }

    /** Churn closes twice per connection: the server's side, then the client's. */
    double probePerClose() {
      return probe / (2.0 * connections);
    }

    /**
     * getsockopt, ioctl and recv calls per close more than {@code without} made: the probe's
     * calls whatever they ask (an SO_LINGER read too), given the same workload.
     */
    double socketQueriesAddedPerClose(Counts without) {
      return (socketQueries() / (double) connections - without.socketQueries() / (double) without.connections) / 2;
    }

    private long socketQueries() {
      return byName.entrySet().stream()
          .filter(entry -> SOCKET_QUERIES.contains(entry.getKey()))
          .mapToLong(Map.Entry::getValue).sum();
    }
  }

  /** "TID name(args" at the start of a call (strace -f -o), or its "<... name resumed>" rest. */
  private static final Pattern CALL = Pattern.compile("^(\\d+) +(?:(\\w+)\\((.*)|<\\.\\.\\. (\\w+) resumed>(.*))$");
  /**
   * What the agent's kernel probe calls look like, decoded: TCP_INFO and any other SOL_TCP read,
   * SO_MEMINFO, the SIOCINQ (FIONREAD) and SIOCOUTQ (TIOCOUTQ) ioctls, and a recv with MSG_PEEK.
   * The JDK's own socket code makes none of these in this workload, which the run without the
   * agent shows; it reads SO_ERROR after connect and SO_LINGER before each close
   * (NioSocketImpl.close), so an SO_LINGER read is not counted as the agent's.
   */
  static final Pattern PROBE = Pattern.compile("^(getsockopt\\(\\d+, (SOL_TCP|SOL_SOCKET, SO_MEMINFO)"
      + "|ioctl\\(\\d+, (FIONREAD|TIOCOUTQ|SIOCINQ|SIOCOUTQ|SIOCOUTQNSD)"
      + "|recv(from|msg)\\(.*MSG_PEEK)");
  private static final Set<String> SOCKET_QUERIES = Set.of("getsockopt", "ioctl", "recvfrom", "recvmsg");
  private static final String UNFINISHED = " <unfinished ...>";
  /** Long enough under strace for the agent's set-up and the JIT to be done before the window. */
  private static final long WARMUP_MILLIS = 5_000;

  private SyscallCount() {}

  /** One churn child, with the agent's options or none (null), run under strace. */
  static Counts measure(ChildJvm jvm, Jdk jdk, String agentOptions, long connections)
      throws IOException, InterruptedException {
    String what = "strace of churn on " + jdk.label() + (agentOptions == null ? " without agent" : ", " + agentOptions);
    Path log = Files.createTempFile("tg-bench-strace", ".log");
    try {
      List<String> command = new ArrayList<>(List.of("strace", "-f", "-qq", "-o", log.toString()));
      command.addAll(jvm.workload(jdk, agentOptions, "churn"));
      try (Child child = Child.start(what, command)) {
        child.run(WARMUP_MILLIS);
        child.count(connections);
      }
      return parse(what, log, connections);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  static Counts parse(String what, Path log, long connections) throws IOException {
    String workloadThread = null;
    long onWorkloadThread = 0;
    long elsewhere = 0;
    long probe = 0;
    long probeElsewhere = 0;
    Map<String, Long> byName = new TreeMap<>();
    // A call cut by another thread's is printed in two parts; its arguments are only whole then.
    Map<String, String> unfinished = new HashMap<>();
    try (BufferedReader lines = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        Matcher call = CALL.matcher(line);
        if (!call.matches()) {
          continue; // signals, exits
        }
        String thread = call.group(1);
        if (workloadThread == null) {
          if (line.contains(WorkloadChild.WINDOW_START)) {
            workloadThread = thread;
          }
          continue;
        }
        if (line.contains(WorkloadChild.WINDOW_END)) {
          return new Counts(connections, onWorkloadThread, elsewhere, probe, probeElsewhere, byName);
        }
        boolean workload = thread.equals(workloadThread);
        String text;
        if (call.group(2) != null) {
          if (workload) {
            onWorkloadThread++;
            byName.merge(call.group(2), 1L, Long::sum);
          } else {
            elsewhere++;
          }
          text = call.group(2) + "(" + call.group(3);
          if (text.endsWith(UNFINISHED)) {
            unfinished.put(thread, text.substring(0, text.length() - UNFINISHED.length()));
            continue;
          }
        } else {
          text = unfinished.getOrDefault(thread, "") + call.group(5);
          unfinished.remove(thread);
        }
        if (PROBE.matcher(text).find()) {
          if (workload) {
            probe++;
          } else {
            probeElsewhere++;
          }
        }
      }
    }
    throw new BenchmarkException(what + ": no window between " + WorkloadChild.WINDOW_START + " and "
        + WorkloadChild.WINDOW_END + " in the strace log");
  }
}
