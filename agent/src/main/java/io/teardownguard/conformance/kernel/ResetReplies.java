package io.teardownguard.conformance.kernel;

import io.teardownguard.conformance.kernel.WireCapture.Segment;
import io.teardownguard.conformance.kernel.WireCapture.TcpFlag;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells an endpoint's own RST (an abort) from its kernel's answers to the other side's segments.
 *
 * <p>Linux aborts a connection with tcp_send_active_reset() (net/ipv4/tcp_output.c; from
 * tcp_close(), tcp_disconnect(), a listener's close), whose segment is built with
 * {@code TCPHDR_ACK | TCPHDR_RST}: tcpdump's {@code [R.]}. A segment that finds no socket, or a
 * socket that resets on it, is answered by tcp_v4_send_reset() (net/ipv4/tcp_ipv4.c), as RFC 9293
 * 3.10.7.1 says: to a segment carrying ACK, a bare RST ({@code [R]}) whose sequence number is that
 * segment's acknowledgement number. So a bare RST from {@code self} whose sequence number is the
 * acknowledgement number of a segment sent to {@code self} before it is an answer; every other RST
 * is the endpoint's own.
 */
public final class ResetReplies {
  private ResetReplies() {}

  /** The indexes in {@code segments} (capture order) of the RSTs {@code self} sent as answers. */
  public static Set<Integer> answers(List<Segment> segments, String self) {
    Set<Long> acknowledgedToSelf = new HashSet<>();
    Set<Integer> answers = new HashSet<>();
    for (int i = 0; i < segments.size(); i++) {
      Segment segment = segments.get(i);
      if (segment.destination().equals(self) && segment.has(TcpFlag.ACK)) {
        acknowledgedToSelf.add(segment.acknowledgement());
      } else if (segment.source().equals(self) && segment.has(TcpFlag.RST) && !segment.has(TcpFlag.ACK)
          && acknowledgedToSelf.contains(segment.sequence())) {
        answers.add(i);
      }
    }
    return answers;
  }
}
