package io.teardownguard.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one command in a private network namespace ({@code unshare -n}, loopback up) under
 * tcpdump, so that the capture holds that command's traffic and nothing else; then reads the
 * teardown segments (FIN, RST) each endpoint sent. Needs root.
 */
final class PrivateWire {
  private static final Pattern SEGMENT =
      Pattern.compile(" IP6? (\\S+)\\.(\\d+) > (\\S+)\\.(\\d+): Flags \\[([^\\]]*)\\], seq (\\S+),");

  // tcpdump is started first and waited for ("listening on"), and given 300 ms after the command
  // to write out the last segments; -U writes each packet as it comes.
  private static final String SCRIPT = """
      ip link set lo up || exit 97
      tcpdump -i lo -nn -s 128 -B 8192 -U --immediate-mode -w "$0/wire.pcap" tcp 2>"$0/tcpdump.err" &
      T=$!
      for i in $(seq 1 200); do grep -q "listening on" "$0/tcpdump.err" && break; sleep 0.05; done
      "$@" >"$0/out.txt" 2>"$0/err.txt"
      RC=$?
      sleep 0.3
      kill -INT $T
      wait $T
      tcpdump -nn -r "$0/wire.pcap" >"$0/wire.txt" 2>/dev/null
      exit $RC
      """;

  /** What the command printed and exited with, and what each endpoint ("ip:port") sent. */
  record Run(int exitCode, String stdout, String stderr, Map<String, List<String>> sentBy) {
    /** The FIN and RST segments {@code from} sent to {@code to}, in order. */
    List<String> teardown(String from, String to) {
      return sentBy.getOrDefault(from + ">" + to, List.of());
    }
  }

  private PrivateWire() {}

  static Run run(Path dir, long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("unshare", "-n", "sh", "-c", SCRIPT, dir.toString()));
    all.addAll(command);
    Process process = new ProcessBuilder(all).redirectErrorStream(true)
        .redirectOutput(dir.resolve("unshare.txt").toFile()).start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
    }
    Map<String, List<String>> sent = new HashMap<>();
    // A segment sent again (the tail loss probe, tcp_send_loss_probe(), or a timeout resending a FIN
    // the peer's delayed ACK has not acknowledged yet) has the same flags and sequence number: one segment.
    Set<String> seen = new HashSet<>();
    for (String line : Files.readAllLines(dir.resolve("wire.txt"), StandardCharsets.UTF_8)) {
      Matcher m = SEGMENT.matcher(line);
      if (!m.find()) {
        continue;
      }
      String flags = m.group(5);
      String key = m.group(1) + ":" + m.group(2) + ">" + m.group(3) + ":" + m.group(4);
      if (!seen.add(key + " " + flags + " " + m.group(6))) {
        continue;
      }
      if (flags.contains("F")) {
        sent.computeIfAbsent(key, k -> new ArrayList<>()).add("FIN");
      }
      if (flags.contains("R")) {
        sent.computeIfAbsent(key, k -> new ArrayList<>()).add("RST");
      }
    }
    return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt")),
        Files.readString(dir.resolve("err.txt")), sent);
  }
}
