package io.teardownguard.it.field;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Judges one field case against the kernel: the agent's {@code teardown} lines made in the case's
 * interval, and the finding occurrences its listener saw, against the segments tcpdump captured.
 *
 * <ul>
 *   <li>Per connection endpoint (local to remote), the FINs and RSTs the kernel sent must be the
 *       concatenation of the agent's {@code predicted.wire} for that endpoint's calls, in order.
 *       RSTs after an endpoint's first RST are dropped: the connection is gone, and the kernel
 *       answers each late segment of the peer with one (RFC 9293 3.10.7.1), however many there are.
 *       A disagreement is counted but allowed where the agent itself marked the prediction
 *       {@code "certain": false} (made before the deciding fact existed), and, up to the case's
 *       {@link FieldCase#lateFactBound()}, where the capture proves a fact that arrived after the
 *       probe ({@link LateFact}); the checks of findings below skip such endpoints too. Any other
 *       disagreement fails. A FIN followed by a RST answering a segment the peer sent after it is
 *       no disagreement where the prediction announced it ({@code peerWrite: RESET_THEN_FAILS}):
 *       counted apart, never against the bound, whose count rose with the machine's load.
 *   <li>RSTs from a listening port to connections no Java code ever accepted are the listener's
 *       close resetting its queue: their count must be the {@code pendingConnectionsReset} the agent
 *       predicted for closes of that listener.
 *   <li>An endpoint that sent a RST must carry a finding that explains it, at a call site a user
 *       can open: a {@code Class.method(File.java:N)} frame in the library's or application's
 *       packages ({@link FieldCase#sites()}). One that sent only FINs must carry no
 *       CLOSE_WITH_UNREAD_DATA or ABORTIVE_CLOSE.
 *   <li>A case marked clean (everything read, one close) must raise no finding at all.
 *   <li>The capture must be complete: as many RSTs as the namespace's Tcp.OutRsts counted, so a
 *       segment tcpdump lost is never taken for one the kernel did not send.
 * </ul>
 */
final class FieldVerdict {
  /** Rules whose finding means this call put a RST on the wire (docs/semantics.md). */
  static final Set<String> RESET_RULES = Set.of("CLOSE_WITH_UNREAD_DATA", "ABORTIVE_CLOSE", "SEND_DATA_DISCARDED",
      "RESET_ON_DATA_AFTER_SHUTDOWN", "LISTENER_CLOSED_WITH_PENDING_CONNECTIONS");
  /** Rules that mean this call itself sends a RST: their finding belongs to a call predicted so. */
  static final Set<String> OWN_RESET_RULES = Set.of("CLOSE_WITH_UNREAD_DATA", "ABORTIVE_CLOSE",
      "LISTENER_CLOSED_WITH_PENDING_CONNECTIONS");
  /** Rules a close that sent only FIN must never carry. */
  static final Set<String> FIN_ONLY_FORBIDDEN = Set.of("CLOSE_WITH_UNREAD_DATA", "ABORTIVE_CLOSE");
  /** {@code org.example.Type.method(Type.java:42)}: a frame with a source line. */
  private static final Pattern OPENABLE_FRAME = Pattern.compile("^[\\w.$]+\\.[\\w$<>-]+\\([\\w$.-]+\\.(java|kt):\\d+\\)$");

  /** "module/" or "module@version/" before a frame's class. */
  private static final Pattern MODULE_PREFIX = Pattern.compile("^[\\w.]+(@[^/]*)?/");

  /** A connection endpoint's sending direction, "ip:port" each. */
  record Endpoint(String local, String remote) {
    @Override
    public String toString() {
      return local + ">" + remote;
    }
  }

  /** What was compared, what disagreed, and what the kernel and agent said per endpoint. */
  record Result(int endpoints, int wireMismatches, int uncertainMismatches, int lateFacts, int answeredLaterSegments,
      List<String> problems, List<String> observations) {}

  private FieldVerdict() {}

  static Result judge(JsonNode fieldCase, List<JsonNode> allTeardowns) {
    List<String> problems = new ArrayList<>();
    List<String> observations = new ArrayList<>();
    if (fieldCase.has("error")) {
      problems.add("the case itself failed: " + fieldCase.get("error").asText());
    }
    Instant start = Instant.parse(fieldCase.get("start").asText());
    Instant end = Instant.parse(fieldCase.get("end").asText());
    List<JsonNode> teardowns = allTeardowns.stream()
        .filter(t -> !time(t).isBefore(start) && !time(t).isAfter(end))
        .sorted(Comparator.comparing(FieldVerdict::time))
        .toList();
    Map<JsonNode, List<JsonNode>> findings = assignFindings(fieldCase.get("findings"), teardowns, problems);
    List<String> sites = new ArrayList<>();
    fieldCase.get("sites").forEach(s -> sites.add(s.asText()));

    Map<Endpoint, List<String>> kernel = kernelWire(fieldCase.get("segments"));
    Map<Endpoint, List<JsonNode>> calls = new LinkedHashMap<>();
    Map<Integer, List<JsonNode>> listenerCloses = new TreeMap<>();
    for (JsonNode teardown : teardowns) {
      if (teardown.get("op").asText().equals("listenerClose")) {
        listenerCloses.computeIfAbsent(port(teardown.get("local").asText()), p -> new ArrayList<>()).add(teardown);
      } else {
        calls.computeIfAbsent(new Endpoint(teardown.get("local").asText(), teardown.path("remote").asText()),
            e -> new ArrayList<>()).add(teardown);
      }
    }
    Set<Endpoint> endpoints = new LinkedHashSet<>(kernel.keySet());
    endpoints.addAll(calls.keySet());
    Map<Integer, Integer> queueResets = new TreeMap<>();
    int compared = 0;
    int mismatches = 0;
    int uncertainMismatches = 0;
    int answeredLaterSegments = 0;
    List<String> lateFacts = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      List<String> sent = kernel.getOrDefault(endpoint, List.of());
      List<JsonNode> made = calls.getOrDefault(endpoint, List.of());
      if (made.isEmpty()) {
        int port = port(endpoint.local());
        if (listenerCloses.containsKey(port) && sent.equals(List.of("RST"))) {
          queueResets.merge(port, 1, Integer::sum);
        } else {
          compared++;
          mismatches++;
          problems.add(endpoint + ": the kernel sent " + sent + ", the agent reported no teardown");
        }
        continue;
      }
      compared++;
      List<String> predicted = new ArrayList<>();
      List<JsonNode> endpointFindings = new ArrayList<>();
      for (JsonNode call : made) {
        call.get("predicted").get("wire").forEach(w -> predicted.add(w.asText()));
        endpointFindings.addAll(findings.getOrDefault(call, List.of()));
      }
      String rules = endpointFindings.stream().map(f -> f.get("rule").asText() + "@" + f.get("site").asText()).toList().toString();
      observations.add(endpoint + " kernel " + sent + " predicted " + predicted + " ops " + made.stream()
          .map(c -> c.get("op").asText() + "(" + c.get("kernel") + ")").toList() + " findings " + rules);
      boolean uncertain = made.stream().anyMatch(FieldVerdict::markedUncertain);
      boolean explained = false;
      Optional<String> announced = predicted.equals(sent) || uncertain || !announcesLaterReset(made) ? Optional.empty()
          : LateFact.peerSegmentAfterFin(endpoint, sent, predicted, fieldCase.get("segments"));
      if (announced.isPresent()) {
        // The prediction said so: FIN now, and a RST for whatever the peer sends after it.
        answeredLaterSegments++;
        observations.add("    (the RST the prediction announced for the peer's later data) " + endpoint + ": "
            + announced.get());
        explained = true;
      } else if (!predicted.equals(sent)) {
        mismatches++;
        String disagreement = endpoint + ": the kernel sent " + sent + ", the agent predicted " + predicted + " for "
            + made.stream().map(c -> c.get("op").asText() + " " + c.get("kernel")).toList();
        Optional<String> fact = uncertain ? Optional.empty()
            : LateFact.explain(endpoint, sent, predicted, made, fieldCase.get("segments"));
        explained = fact.isPresent();
        if (uncertain) {
          uncertainMismatches++;
          observations.add("    (marked certain: false) " + disagreement);
        } else if (explained) {
          lateFacts.add(disagreement + ": " + fact.get());
          observations.add("    (fact after the probe) " + disagreement + ": " + fact.get());
        } else {
          problems.add(disagreement);
        }
      }
      if (!uncertain && !explained) {
        checkFindings(endpoint, sent.contains("RST"), endpointFindings, sites, problems);
      }
    }
    for (Map.Entry<Integer, List<JsonNode>> listener : listenerCloses.entrySet()) {
      int predicted = 0;
      List<JsonNode> listenerFindings = new ArrayList<>();
      for (JsonNode close : listener.getValue()) {
        predicted += close.get("predicted").path("pendingConnectionsReset").asInt();
        listenerFindings.addAll(findings.getOrDefault(close, List.of()));
      }
      int reset = queueResets.getOrDefault(listener.getKey(), 0);
      observations.add("listener :" + listener.getKey() + " reset " + reset + " queued connections, predicted " + predicted);
      compared++;
      if (predicted != reset) {
        mismatches++;
        problems.add("listener :" + listener.getKey() + ": the kernel reset " + reset
            + " queued connections, the agent predicted " + predicted);
      }
      checkFindings(new Endpoint("listener :" + listener.getKey(), ""), reset > 0, listenerFindings, sites, problems);
    }
    int bound = fieldCase.path("lateFactBound").asInt();
    if (lateFacts.size() > bound) {
      problems.add(lateFacts.size() + " disagreement(s) from facts after the probe, more than this case's bound of "
          + bound + ": " + lateFacts);
    }
    if (fieldCase.path("clean").asBoolean()) {
      for (JsonNode finding : fieldCase.get("findings")) {
        problems.add("a clean teardown (everything read, one close), yet " + finding.get("rule").asText() + " at "
            + finding.get("site").asText());
      }
    }
    long capturedResets = 0;
    for (JsonNode segment : fieldCase.get("segments")) {
      for (JsonNode flag : segment.path("flags")) {
        capturedResets += flag.asText().equals("RST") ? 1 : 0;
      }
    }
    long countedResets = fieldCase.get("counters").path("Tcp.OutRsts").asLong();
    if (capturedResets != countedResets) {
      problems.add("the capture is incomplete: tcpdump saw " + capturedResets + " RST(s), the kernel's Tcp.OutRsts counted "
          + countedResets);
    }
    if (compared == 0) {
      problems.add("nothing to compare: no teardown on the wire and none reported");
    }
    return new Result(compared, mismatches, uncertainMismatches, lateFacts.size(), answeredLaterSegments, problems,
        observations);
  }

  /**
   * The endpoint's last call predicted that the peer's later data is answered with a RST
   * ({@code peerWrite: RESET_THEN_FAILS}, condition PEER_SENDS_DATA): a FIN, then a RST answering a
   * segment the peer sent after it, is that prediction come true, not a fact it missed.
   */
  private static boolean announcesLaterReset(List<JsonNode> made) {
    return made.get(made.size() - 1).path("predicted").path("peerWrite").asText().equals("RESET_THEN_FAILS");
  }

  private static void checkFindings(Endpoint endpoint, boolean reset, List<JsonNode> findings, List<String> sites,
      List<String> problems) {
    if (reset) {
      List<JsonNode> explaining = findings.stream().filter(f -> RESET_RULES.contains(f.get("rule").asText())).toList();
      if (explaining.isEmpty()) {
        problems.add(endpoint + ": sent a RST with no finding that explains it");
      }
      for (JsonNode finding : explaining) {
        String site = finding.get("site").asText();
        // StackTraceElement.toString names a JDK frame's module first: "jdk.httpserver/sun.net...".
        String frame = MODULE_PREFIX.matcher(site).replaceFirst("");
        boolean inLibraryOrApp = sites.stream().anyMatch(frame::startsWith);
        if (!inLibraryOrApp || !OPENABLE_FRAME.matcher(frame).matches()) {
          problems.add(endpoint + ": " + finding.get("rule").asText() + " at '" + site
              + "', not a line of the library or application (" + sites + ")");
        }
      }
    } else {
      for (JsonNode finding : findings) {
        if (FIN_ONLY_FORBIDDEN.contains(finding.get("rule").asText())) {
          problems.add(endpoint + ": sent no RST, yet " + finding.get("rule").asText() + " at " + finding.get("site").asText());
        }
      }
    }
  }

  /**
   * Gives each finding occurrence to the call that raised it: the latest teardown before it with
   * the same op and API that does not hold that rule yet and whose prediction fits the rule (a
   * reset rule needs a predicted RST), on the same thread if there is one. The listener runs on
   * the thread that made the call, but a Selector's deferred close is reported when the Selector
   * releases it, after later calls of that thread.
   */
  private static Map<JsonNode, List<JsonNode>> assignFindings(JsonNode findings, List<JsonNode> teardowns,
      List<String> problems) {
    Map<JsonNode, List<JsonNode>> byCall = new java.util.IdentityHashMap<>();
    for (JsonNode finding : findings) {
      Instant at = time(finding);
      String rule = finding.get("rule").asText();
      JsonNode sameThread = null;
      JsonNode anyThread = null;
      for (JsonNode teardown : teardowns) {
        boolean fits = !time(teardown).isAfter(at)
            && teardown.get("op").asText().equals(finding.get("op").asText())
            && teardown.get("api").asText().equals(finding.get("api").asText())
            && (!OWN_RESET_RULES.contains(rule) || predictsReset(teardown))
            && byCall.getOrDefault(teardown, List.of()).stream().noneMatch(f -> f.get("rule").asText().equals(rule));
        if (!fits) {
          continue;
        }
        anyThread = teardown;
        if (teardown.get("thread").asText().equals(finding.get("thread").asText())) {
          sameThread = teardown;
        }
      }
      JsonNode call = sameThread != null ? sameThread : anyThread;
      if (call == null) {
        problems.add("finding " + rule + " at " + finding.get("site").asText()
            + " fits no teardown line of the case (same op and API, a predicted RST for a reset rule)");
      } else {
        byCall.computeIfAbsent(call, c -> new ArrayList<>()).add(finding);
      }
    }
    return byCall;
  }

  /**
   * The agent's own mark (report field {@code predicted.certain}) that it predicted before the
   * deciding fact could be known: a Selector's deferred close not read again before its close(2),
   * a RST the peer's FIN would silence (issue 13 point 11). An agent without the field marks none.
   */
  private static boolean markedUncertain(JsonNode teardown) {
    JsonNode certain = teardown.path("predicted").path("certain");
    return certain.isBoolean() && !certain.asBoolean();
  }

  private static boolean predictsReset(JsonNode teardown) {
    JsonNode predicted = teardown.get("predicted");
    boolean wire = false;
    for (JsonNode segment : predicted.get("wire")) {
      wire |= segment.asText().equals("RST");
    }
    return wire || predicted.path("pendingConnectionsReset").asInt() > 0;
  }

  /** Per endpoint, the FIN and RST flags it sent in capture order, retransmitted FINs and RSTs after the first dropped. */
  static Map<Endpoint, List<String>> kernelWire(JsonNode segments) {
    Map<Endpoint, List<String>> wire = new LinkedHashMap<>();
    for (JsonNode segment : segments) {
      Endpoint endpoint = new Endpoint(segment.get("source").asText(), segment.get("destination").asText());
      List<String> flags = new ArrayList<>();
      segment.path("flags").forEach(f -> flags.add(f.asText()));
      List<String> sent = wire.computeIfAbsent(endpoint, e -> new ArrayList<>());
      // One FIN per connection: a second FIN segment is the first retransmitted (its one sequence
      // number, RFC 9293 3.5), e.g. by the tail loss probe or RTO of a loaded machine.
      if (flags.contains("FIN") && !sent.contains("FIN")) {
        sent.add("FIN");
      }
      if (flags.contains("RST") && !sent.contains("RST")) {
        sent.add("RST");
      }
    }
    wire.values().removeIf(List::isEmpty);
    return wire;
  }

  private static Instant time(JsonNode event) {
    return Instant.parse(event.get("time").asText());
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }
}
