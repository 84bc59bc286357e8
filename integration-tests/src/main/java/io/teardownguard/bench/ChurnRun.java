package io.teardownguard.bench;

import java.util.List;

/** One timed churn window as the workload reported it ("churn connections=N nanos=T cpuNanos=C"). */
record ChurnRun(long connections, long nanos, long cpuNanos) {
  static ChurnRun parse(String what, List<String> stdout) throws BenchmarkException {
    String line = Text.lineStarting(stdout, "churn ");
    long connections = line == null ? -1 : Text.field(line, "connections");
    long nanos = line == null ? -1 : Text.field(line, "nanos");
    if (connections <= 0 || nanos <= 0) {
      throw new BenchmarkException(what + ": no 'churn connections=N nanos=T' line in its output " + stdout);
    }
    return new ChurnRun(connections, nanos, line.contains("cpuNanos=") ? Text.field(line, "cpuNanos") : -1);
  }

  double perSecond() {
    return connections * 1e9 / nanos;
  }

  /** Process CPU (all threads) per connection in the window, or NaN if it was not read. */
  double cpuMicrosPerConnection() {
    return cpuNanos < 0 ? Double.NaN : cpuNanos / 1e3 / connections;
  }
}
