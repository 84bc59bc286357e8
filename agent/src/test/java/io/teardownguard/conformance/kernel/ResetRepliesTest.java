package io.teardownguard.conformance.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lines captured over the veth link when SO_LINGER 0 closed a socket with bytes in flight. */
class ResetRepliesTest {
  private static final String SELF = "10.231.0.1:40331";

  private static WireCapture.Segment line(String text) {
    return WireCapture.parseLine(text).orElseThrow();
  }

  @Test
  void theAbortCarriesAckAndEachBareResetAnswersAnAcknowledgementOfThePeer() {
    List<WireCapture.Segment> segments = List.of(
        line("1.0 tgl0  In  IP 10.231.0.2.57983 > 10.231.0.1.40331: Flags [.], ack 2413038504, win 71, length 0"),
        line("1.1 tgl0  Out IP 10.231.0.1.40331 > 10.231.0.2.57983: Flags [R.], seq 2413042576, ack 3096587127,"
            + " win 64, length 0"),
        line("1.2 tgl0  Out IP 10.231.0.1.40331 > 10.231.0.2.57983: Flags [R], seq 2413038504, win 0, length 0"));

    assertEquals(Set.of(2), ResetReplies.answers(segments, SELF));
  }

  @Test
  void aBareResetWithoutAnAcknowledgementToMatchIsTheEndpointsOwn() {
    List<WireCapture.Segment> segments = List.of(
        line("1.0 tgl0  In  IP 10.231.0.2.57983 > 10.231.0.1.40331: Flags [.], ack 2413038504, win 71, length 0"),
        line("1.2 tgl0  Out IP 10.231.0.1.40331 > 10.231.0.2.57983: Flags [R], seq 2413039952, win 0, length 0"));

    assertEquals(Set.of(), ResetReplies.answers(segments, SELF));
  }

  @Test
  void theOtherSidesResetsAreNotThisEndpoints() {
    List<WireCapture.Segment> segments = List.of(
        line("1.0 tgl0  Out IP 10.231.0.1.40331 > 10.231.0.2.57983: Flags [.], ack 5, win 71, length 0"),
        line("1.2 tgl0  In  IP 10.231.0.2.57983 > 10.231.0.1.40331: Flags [R], seq 5, win 0, length 0"));

    assertEquals(Set.of(), ResetReplies.answers(segments, SELF));
  }
}
