package io.teardownguard.bench;

import java.util.List;

/** The harness's choices, from its command line. */
record Settings(
    int rounds,
    int warmupSeconds,
    int seconds,
    int sources,
    long connections,
    int starts,
    List<String> measurements) {

  /** Child JVM options for churn runs: one fixed heap limit, so GC sizing does not differ by run. */
  static final List<String> CHURN_JVM_OPTIONS = List.of("-Xmx256m");

  /** A timed churn run's bound: its own time plus start-up, generously. */
  long churnTimeoutSeconds() {
    return warmupSeconds + seconds + 60L;
  }

  List<String> timedArgs() {
    return List.of("--warmup", String.valueOf(warmupSeconds), "--seconds", String.valueOf(seconds),
        "--sources", String.valueOf(sources));
  }
}
