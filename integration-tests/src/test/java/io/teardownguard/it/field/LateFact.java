package io.teardownguard.it.field;

import com.fasterxml.jackson.databind.JsonNode;
import io.teardownguard.it.field.FieldVerdict.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A fact the kernel learned after the agent's probe and before (or after) the close(2) it predicted,
 * which no probe at the call could see: the reason a prediction the agent made with certainty can
 * still differ from the wire. Each kind is proved from the capture, whose order on {@code lo} is
 * the order the kernel handled the segments ({@code WireCapture}), and from the probe's own kernel
 * snapshot. A disagreement none of them explains is the agent's error.
 *
 * <ul>
 *   <li>The peer's RST came first: the probe saw the connection open, the endpoint then sent less
 *       than predicted, and the peer's RST was captured after the endpoint's last FIN or RST. The
 *       reset connection is CLOSE when close(2) or shutdown(2) runs: nothing is left to send
 *       (tcp_reset, then tcp_close's "already reset" path).
 *   <li>The peer's data came after the endpoint's FIN: the endpoint sent the predicted wire ending
 *       in FIN and then a RST, and the peer's payload was captured between that FIN and the RST. A
 *       socket shut for reading or closed answers new data with a reset (tcp_rcv_state_process for
 *       FIN_WAIT1/2 with RCV_SHUTDOWN, tcp_timewait_state_process for an orphan), and data queued
 *       after the probe resets at close(2) (tcp_close, data_was_unread). Or both FINs and the
 *       peer's ACK had ended the connection and a later segment of the peer reached no socket: the
 *       kernel answers it with a RST (RFC 9293 3.10.7.1).
 *   <li>The peer's FIN came first: the probe saw unread bytes and the agent predicted a RST after
 *       the FIN, the endpoint sent only the FIN, and the peer's FIN was captured after it. A
 *       FIN_WAIT2 socket that receives the FIN goes to TIME_WAIT (tcp_fin), and close(2) of a socket
 *       no longer connected sends nothing whatever it held unread (tcp_close).
 * </ul>
 */
final class LateFact {
  private LateFact() {}

  /** Why {@code sent} differs from {@code predicted} for {@code endpoint}, if the capture shows a late fact. */
  static Optional<String> explain(Endpoint endpoint, List<String> sent, List<String> predicted, List<JsonNode> calls,
      JsonNode segments) {
    Capture capture = Capture.of(endpoint, segments);
    Optional<String> fact = peerResetFirst(capture, sent, predicted, calls);
    if (fact.isEmpty()) {
      fact = peerSegmentAfterFin(capture, sent, predicted);
    }
    return fact.isPresent() ? fact : peerFinFirst(capture, sent, predicted);
  }

  /**
   * The second kind alone: the endpoint sent the predicted wire ending in FIN, then a RST that
   * answered a segment of the peer captured after that FIN. It is what a prediction announcing a
   * RST for the peer's later data ({@code peerWrite: RESET_THEN_FAILS}) says will happen.
   */
  static Optional<String> peerSegmentAfterFin(Endpoint endpoint, List<String> sent, List<String> predicted,
      JsonNode segments) {
    return peerSegmentAfterFin(Capture.of(endpoint, segments), sent, predicted);
  }

  /** The capture in the kernel's order, and where this endpoint's own teardown segments are in it. */
  private record Capture(Endpoint peer, List<JsonNode> order, int lastOwnTeardown, int ownFin,
      int ownReset) {
    static Capture of(Endpoint endpoint, JsonNode segments) {
      List<JsonNode> order = new ArrayList<>();
      segments.forEach(order::add);
      int lastOwnTeardown = -1;
      int ownFin = -1;
      int ownReset = -1;
      for (int i = 0; i < order.size(); i++) {
        if (from(order.get(i), endpoint)) {
          boolean fin = has(order.get(i), "FIN");
          boolean reset = has(order.get(i), "RST");
          lastOwnTeardown = fin || reset ? i : lastOwnTeardown;
          ownFin = fin && ownFin < 0 ? i : ownFin;
          ownReset = reset && ownReset < 0 ? i : ownReset;
        }
      }
      return new Capture(new Endpoint(endpoint.remote(), endpoint.local()), order, lastOwnTeardown, ownFin, ownReset);
    }
  }

  private static Optional<String> peerResetFirst(Capture capture, List<String> sent, List<String> predicted,
      List<JsonNode> calls) {
    if (sent.size() < predicted.size() && predicted.subList(0, sent.size()).equals(sent)) {
      JsonNode missed = firstCallBeyond(calls, sent.size()).path("kernel");
      boolean openAtProbe = !missed.path("state").asText("CLOSE").equals("CLOSE");
      int peerReset = firstFrom(capture.order(), capture.peer(), capture.lastOwnTeardown() + 1, capture.order().size(),
          "RST", false);
      if (openAtProbe && peerReset >= 0) {
        return Optional.of("the peer's RST (segment " + peerReset + ") arrived after the probe saw "
            + missed.path("state").asText() + " and before the call could send " + predicted.subList(sent.size(),
            predicted.size()));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> peerSegmentAfterFin(Capture capture, List<String> sent, List<String> predicted) {
    List<String> withReset = new ArrayList<>(predicted);
    withReset.add("RST");
    if (predicted.contains("RST") || predicted.isEmpty() || !predicted.get(predicted.size() - 1).equals("FIN")
        || !sent.equals(withReset)) {
      return Optional.empty();
    }
    List<JsonNode> order = capture.order();
    int ownFin = capture.ownFin();
    int ownReset = capture.ownReset();
    int peerData = firstFrom(order, capture.peer(), ownFin + 1, ownReset, null, true);
    if (peerData >= 0) {
      return Optional.of("the peer's data (segment " + peerData + ", " + order.get(peerData).path("length").asInt()
          + " bytes) arrived after this endpoint's FIN (segment " + ownFin + "), and its RST (segment " + ownReset
          + ") answered it");
    }
    int peerFin = firstFrom(order, capture.peer(), 0, ownReset, "FIN", false);
    int ended = Math.max(ownFin, peerFin);
    int peerAck = firstFrom(order, capture.peer(), ended + 1, ownReset, "ACK", false);
    int stray = firstFrom(order, capture.peer(), peerAck + 1, ownReset, "ACK", false);
    if (peerFin >= 0 && peerAck >= 0 && stray >= 0) {
      return Optional.of("both FINs (segments " + peerFin + ", " + ownFin + ") and the peer's ACK (segment " + peerAck
          + ") had ended the connection when the peer's segment " + stray + " arrived; the RST (segment " + ownReset
          + ") answered it (RFC 9293 3.10.7.1)");
    }
    return Optional.empty();
  }

  private static Optional<String> peerFinFirst(Capture capture, List<String> sent, List<String> predicted) {
    List<String> withoutReset = predicted.subList(0, Math.max(0, predicted.size() - 1));
    if (predicted.size() >= 2 && predicted.get(predicted.size() - 1).equals("RST") && sent.equals(withoutReset)
        && sent.get(sent.size() - 1).equals("FIN")) {
      int peerFin = firstFrom(capture.order(), capture.peer(), capture.ownFin() + 1, capture.order().size(), "FIN",
          false);
      if (peerFin >= 0) {
        return Optional.of("the peer's FIN (segment " + peerFin + ") arrived after this endpoint's FIN (segment "
            + capture.ownFin() + ") and before close(2), which then had no connection to reset");
      }
    }
    return Optional.empty();
  }

  /** The first call whose predicted wire goes past the first {@code sent} flags: the one whose segment never left. */
  private static JsonNode firstCallBeyond(List<JsonNode> calls, int sent) {
    int predicted = 0;
    for (JsonNode call : calls) {
      predicted += call.path("predicted").path("wire").size();
      if (predicted > sent) {
        return call;
      }
    }
    return calls.get(calls.size() - 1);
  }

  /** The first segment in [from, to) sent by {@code endpoint} carrying {@code flag}, or payload if {@code data}. */
  private static int firstFrom(List<JsonNode> order, Endpoint endpoint, int from, int to, String flag, boolean data) {
    for (int i = Math.max(0, from); i < Math.min(to, order.size()); i++) {
      JsonNode segment = order.get(i);
      if (from(segment, endpoint) && (data ? segment.path("length").asInt() > 0 : has(segment, flag))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean from(JsonNode segment, Endpoint endpoint) {
    return segment.get("source").asText().equals(endpoint.local())
        && segment.get("destination").asText().equals(endpoint.remote());
  }

  private static boolean has(JsonNode segment, String flag) {
    for (JsonNode f : segment.path("flags")) {
      if (f.asText().equals(flag)) {
        return true;
      }
    }
    return false;
  }
}
