package io.teardownguard.it.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.teardownguard.it.field.FieldVerdict.Endpoint;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link LateFact} on captures shaped like the field suite's: it must explain a disagreement only
 * when the peer's segment that decided it was captured after the endpoint's own, and never a
 * wrong prediction whose deciding fact was there before.
 */
final class LateFactTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVER = "127.0.0.1:8080";
  private static final String CLIENT = "127.0.0.1:40000";
  private static final Endpoint SERVER_SIDE = new Endpoint(SERVER, CLIENT);

  @Test
  void peerResetAfterAnOpenProbeExplainsAMissingFin() {
    JsonNode capture = capture(seg(CLIENT, 0, "SYN"), seg(SERVER, 0, "SYN", "ACK"), seg(CLIENT, 0, "ACK"),
        seg(CLIENT, 0, "RST", "ACK"));
    Optional<String> fact = LateFact.explain(SERVER_SIDE, List.of(), List.of("FIN"), calls("ESTABLISHED"), capture);
    assertTrue(fact.orElse("").contains("the peer's RST (segment 3)"), fact.toString());
  }

  @Test
  void theCallWhoseFinNeverLeftIsTheOneJudged() {
    JsonNode capture = capture(seg(SERVER, 40, "PSH", "ACK"), seg(CLIENT, 0, "RST"));
    List<JsonNode> calls = List.of(call("CLOSE_WAIT", "FIN"), call("CLOSE"));
    Optional<String> fact = LateFact.explain(SERVER_SIDE, List.of(), List.of("FIN"), calls, capture);
    assertTrue(fact.orElse("").contains("the probe saw CLOSE_WAIT"), fact.toString());
  }

  @Test
  void aProbeThatSawTheResetExplainsNothing() {
    JsonNode capture = capture(seg(CLIENT, 0, "RST", "ACK"));
    assertEquals(Optional.empty(), LateFact.explain(SERVER_SIDE, List.of(), List.of("FIN"), calls("CLOSE"), capture));
  }

  @Test
  void peerDataAfterTheFinExplainsTheReset() {
    JsonNode capture = capture(seg(CLIENT, 100, "PSH", "ACK"), seg(SERVER, 0, "FIN", "ACK"),
        seg(CLIENT, 3000, "PSH", "ACK"), seg(SERVER, 0, "RST"));
    Optional<String> fact = finThenReset("ESTABLISHED", capture);
    assertTrue(fact.orElse("").contains("the peer's data (segment 2, 3000 bytes)"), fact.toString());
  }

  @Test
  void dataQueuedBeforeTheFinIsTheAgentsMiss() {
    JsonNode capture = capture(seg(CLIENT, 3000, "PSH", "ACK"), seg(SERVER, 0, "FIN", "ACK"), seg(CLIENT, 0, "ACK"),
        seg(SERVER, 0, "RST"));
    assertEquals(Optional.empty(), finThenReset("ESTABLISHED", capture));
  }

  @Test
  void aSegmentAfterTheConnectionEndedExplainsTheReset() {
    JsonNode capture = capture(seg(CLIENT, 0, "FIN", "ACK"), seg(SERVER, 0, "FIN", "ACK"), seg(CLIENT, 0, "ACK"),
        seg(CLIENT, 0, "ACK"), seg(SERVER, 0, "RST"));
    Optional<String> fact = finThenReset("CLOSE_WAIT", capture);
    assertTrue(fact.orElse("").contains("the peer's segment 3"), fact.toString());
  }

  @Test
  void thePeersAckOfTheFinAloneExplainsNothing() {
    JsonNode capture = capture(seg(CLIENT, 0, "FIN", "ACK"), seg(SERVER, 0, "FIN", "ACK"), seg(CLIENT, 0, "ACK"),
        seg(SERVER, 0, "RST"));
    assertEquals(Optional.empty(), finThenReset("CLOSE_WAIT", capture));
  }

  @Test
  void peerFinBeforeCloseExplainsAMissingReset() {
    JsonNode capture = capture(seg(SERVER, 0, "FIN", "ACK"), seg(CLIENT, 0, "FIN", "ACK"), seg(SERVER, 0, "ACK"));
    Optional<String> fact = LateFact.explain(SERVER_SIDE, List.of("FIN"), List.of("FIN", "RST"), calls("ESTABLISHED"),
        capture);
    assertTrue(fact.orElse("").contains("the peer's FIN (segment 1)"), fact.toString());
  }

  /** Why the server endpoint sent FIN, RST where a close probed in {@code state} predicted FIN. */
  private static Optional<String> finThenReset(String state, JsonNode capture) {
    return LateFact.explain(SERVER_SIDE, List.of("FIN", "RST"), List.of("FIN"), calls(state), capture);
  }

  private static List<JsonNode> calls(String state) {
    return List.of(call(state));
  }

  private static JsonNode call(String state, String... wire) {
    ObjectNode call = JSON.createObjectNode();
    call.putObject("kernel").put("state", state);
    ArrayNode predicted = call.putObject("predicted").putArray("wire");
    for (String segment : wire) {
      predicted.add(segment);
    }
    return call;
  }

  private static JsonNode capture(ObjectNode... segments) {
    ArrayNode capture = JSON.createArrayNode();
    for (ObjectNode segment : segments) {
      capture.add(segment);
    }
    return capture;
  }

  private static ObjectNode seg(String source, int length, String... flags) {
    ObjectNode segment = JSON.createObjectNode();
    segment.put("source", source);
    segment.put("destination", source.equals(SERVER) ? CLIENT : SERVER);
    for (String flag : flags) {
      segment.withArray("flags").add(flag);
    }
    segment.put("length", length);
    return segment;
  }
}
