package io.teardownguard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The facts that make numbers comparable between machines: CPUs, kernel, TCP limits, load. */
final class MachineInfo {
  private MachineInfo() {}

  static List<String> describe(List<Jdk> jdks) {
    StringBuilder versions = new StringBuilder();
    for (Jdk jdk : jdks) {
      versions.append(versions.length() == 0 ? "" : ", ").append(jdk.label()).append(' ').append(jdk.version());
    }
    return List.of(
        "- CPUs: " + Runtime.getRuntime().availableProcessors() + " (" + cpuModel() + ")",
        "- kernel: " + System.getProperty("os.name") + " " + System.getProperty("os.version"),
        "- JDKs: " + versions,
        "- net.ipv4.ip_local_port_range " + read("/proc/sys/net/ipv4/ip_local_port_range")
            + ", tcp_max_tw_buckets " + read("/proc/sys/net/ipv4/tcp_max_tw_buckets")
            + ", tcp_tw_reuse " + read("/proc/sys/net/ipv4/tcp_tw_reuse"),
        "- load average at start: " + loadAverage());
  }

  static String loadAverage() {
    String line = read("/proc/loadavg");
    String[] words = line.split(" ");
    return words.length >= 3 ? words[0] + " " + words[1] + " " + words[2] : line;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException e) {
      // named as unknown below
    }
    return "model unknown";
  }

  /**
   * A small /proc file's text on one line. Read through a buffer: a sysctl file answers EOF to
   * any read past offset 0, so Files.readString, which may start with a 1-byte read, sees "3"
   * of "32768 60999".
   */
  private static String read(String file) {
    try {
      return String.join(" ", Files.readAllLines(Path.of(file))).strip().replaceAll("\\s+", " ");
    } catch (IOException e) {
      return "(" + file + " unreadable)";
    }
  }
}
