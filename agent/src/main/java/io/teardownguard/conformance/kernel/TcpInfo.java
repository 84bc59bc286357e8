package io.teardownguard.conformance.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One connection's send queue split as the agent's probe splits it, read through {@code ss -ti}
 * (inet_diag's INET_DIAG_INFO, the same struct tcp_info the probe's TCP_INFO returns): bytes not
 * yet sent ({@code notsent:}, tcpi_notsent_bytes), the rest of the send queue (sent, not yet
 * acknowledged) and the peer's window ({@code snd_wnd:}, tcpi_snd_wnd). /proc/net/tcp's tx_queue
 * cannot tell them apart, and on a link the difference decides whether a FIN waits.
 *
 * @param notSent write_seq - snd_nxt
 * @param unacked Send-Q (write_seq - snd_una) less notSent
 * @param sendWindow the peer's last advertised window
 */
public record TcpInfo(long notSent, long unacked, long sendWindow) {
  private static final long TIMEOUT_SECONDS = 10;
  private static final Pattern NOT_SENT = Pattern.compile("\\bnotsent:(\\d+)");
  private static final Pattern SEND_WINDOW = Pattern.compile("\\bsnd_wnd:(\\d+)");

  /**
   * The connection from local port {@code localPort} to remote port {@code remotePort} in this
   * namespace; empty when ss lists none (the socket is gone) or prints no snd_wnd (iproute2
   * before 5.x).
   */
  public static Optional<TcpInfo> read(int localPort, int remotePort) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        HostTools.findExecutable("ss").orElseThrow(() -> new IOException("ss not found (apt-get install iproute2)"))
            .toString(),
        "-tinH", "state", "all", "sport", "=", ":" + localPort, "dport", "=", ":" + remotePort));
    Process ss = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!ss.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        ss.destroyForcibly();
        throw new IOException("ss did not finish in " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      ss.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for ss", e);
    }
    return parse(output);
  }

  /**
   * Parses ss's two lines for one socket: "ESTAB 0 65248 local remote" (state, Recv-Q, Send-Q),
   * then the tcp_info fields. ss leaves notsent out when it is 0.
   */
  static Optional<TcpInfo> parse(String output) {
    String[] lines = output.strip().split("\n");
    if (lines.length < 2 || lines[0].isBlank()) {
      return Optional.empty();
    }
    String[] columns = lines[0].trim().split("\\s+");
    Matcher window = SEND_WINDOW.matcher(lines[1]);
    if (columns.length < 3 || !window.find()) {
      return Optional.empty();
    }
    long sendQueue = Long.parseLong(columns[2]);
    Matcher notSent = NOT_SENT.matcher(lines[1]);
    long notSentBytes = notSent.find() ? Long.parseLong(notSent.group(1)) : 0;
    return Optional.of(new TcpInfo(notSentBytes, Math.max(0, sendQueue - notSentBytes),
        Long.parseLong(window.group(1))));
  }
}
