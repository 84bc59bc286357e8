package io.teardownguard.it.field;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.teardownguard.agent.TeardownGuard;
import io.teardownguard.agent.report.FindingEvent;
import io.teardownguard.conformance.kernel.NetNamespace;
import io.teardownguard.conformance.kernel.ProcNet;
import io.teardownguard.conformance.kernel.WireCapture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The child JVM of one library's field cases: runs under {@code unshare -n} with the agent, brings
 * up {@code lo}, captures it with tcpdump ({@link WireCapture}), and runs each case between two
 * marks. Writes one JSON file: per case its interval, the segments the kernel sent, the kernel's
 * counters that moved, and every finding the agent raised in it (through the agent's listener API,
 * which sees each occurrence, where the report keeps one line per rule and call site).
 *
 * <p>Usage: {@code FieldHost LIBRARY OUTPUT.json}.
 */
public final class FieldHost {
  /**
   * Time for what a close leaves to the kernel: a FIN queued behind unacknowledged data, the
   * selector's deferred close(2), the peer's last reads. Loopback acknowledges in microseconds.
   */
  private static final long SETTLE_MILLIS = 400;

  private FieldHost() {}

  public static void main(String[] args) throws Exception {
    if (!NetNamespace.inPrivateNamespace()) {
      throw new IllegalStateException("run me under unshare -n with " + NetNamespace.PRIVATE_NETNS_ENV + "=1");
    }
    NetNamespace.bringUpLoopback();
    ObjectMapper json = new ObjectMapper();
    ObjectNode out = json.createObjectNode();
    out.put("library", args[0]);
    ArrayNode cases = out.putArray("cases");
    ArrayNode findings = json.createArrayNode();
    Consumer<FindingEvent> listener = event -> {
      ObjectNode finding = json.createObjectNode();
      finding.put("time", Instant.now().toString());
      finding.put("thread", Thread.currentThread().getName());
      finding.put("rule", event.rule());
      finding.put("site", event.site());
      finding.put("op", event.op());
      finding.put("api", event.api());
      synchronized (findings) {
        findings.add(finding);
      }
    };
    TeardownGuard.addFindingListener(listener);
    try (WireCapture capture = WireCapture.start()) {
      for (FieldCase fieldCase : FieldLibraries.cases(args[0])) {
        cases.add(run(json, capture, fieldCase, findings));
      }
    }
    json.writerWithDefaultPrettyPrinter().writeValue(Path.of(args[1]).toFile(), out);
    // Servers leave non-daemon threads behind; exit as an application would, with the agent's summary.
    System.exit(0);
  }

  private static ObjectNode run(ObjectMapper json, WireCapture capture, FieldCase fieldCase, ArrayNode findings)
      throws Exception {
    ObjectNode result = json.createObjectNode();
    result.put("name", fieldCase.name());
    result.put("clean", fieldCase.clean());
    result.put("lateFactBound", fieldCase.lateFactBound());
    fieldCase.sites().forEach(result.putArray("sites")::add);
    Map<String, Long> countersBefore = ProcNet.counters();
    int findingsBefore;
    synchronized (findings) {
      findingsBefore = findings.size();
    }
    result.put("start", Instant.now().toString());
    WireCapture.Mark before = capture.mark();
    try {
      fieldCase.body().run();
    } catch (Exception | AssertionError e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      result.put("error", trace.toString());
    }
    Thread.sleep(SETTLE_MILLIS);
    WireCapture.Mark after = capture.mark();
    result.put("end", Instant.now().toString());
    ArrayNode segments = result.putArray("segments");
    for (WireCapture.Segment segment : capture.between(before, after)) {
      ObjectNode node = segments.addObject();
      node.put("source", segment.source());
      node.put("destination", segment.destination());
      segment.flags().forEach(flag -> node.withArray("flags").add(flag.name()));
      node.put("length", segment.payloadLength());
    }
    ObjectNode counters = result.putObject("counters");
    ProcNet.delta(countersBefore, ProcNet.counters()).forEach((name, delta) -> {
      if (name.startsWith("TcpExt.TCPAbortOn") || name.equals("Tcp.OutRsts") || name.equals("Tcp.ActiveOpens")) {
        counters.put(name, delta);
      }
    });
    ArrayNode caseFindings = result.putArray("findings");
    synchronized (findings) {
      for (int i = findingsBefore; i < findings.size(); i++) {
        caseFindings.add(findings.get(i));
      }
    }
    return result;
  }
}
