package io.teardownguard.agent.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.teardownguard.agent.core.CallSite;
import io.teardownguard.agent.core.TeardownRecord;
import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.model.Finding;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.TimeWaitHolder;
import io.teardownguard.model.WireSegment;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One JSON Lines object per event, as the report contract fixes it. No payload byte is ever
 * written: only sizes, states and addresses.
 */
final class ReportJson {
  private static final JsonFactory JSON = new JsonFactory();

  private ReportJson() {}

  /** A {@code teardown} line ({@code events=all}). */
  static String teardown(TeardownRecord record) {
    return write(json -> common(json, "teardown", record));
  }

  /** A {@code finding} line, written the first time a rule fires at a call site. */
  static String finding(TeardownRecord record, Finding finding) {
    return write(json -> {
      common(json, "finding", record);
      CallSite site = record.callSite().get();
      json.writeStringField("rule", finding.ruleId());
      json.writeStringField("severity", finding.severity().name());
      json.writeStringField("message", finding.message());
      json.writeStringField("remedy", finding.remedy());
      json.writeStringField("site", site.site());
      json.writeArrayFieldStart("stack");
      for (String frame : site.stack()) {
        json.writeString(frame);
      }
      json.writeEndArray();
    });
  }

  private static void common(JsonGenerator json, String type, TeardownRecord record) throws IOException {
    json.writeStringField("type", type);
    json.writeStringField("op", record.op());
    json.writeStringField("api", record.callSite().get().api());
    json.writeStringField("local", address(record.local()));
    json.writeStringField("remote", address(record.remote()));
    json.writeStringField("time", record.time().toString());
    json.writeStringField("thread", record.thread());
    writeKernel(json, record.kernel(), record.snapshot().api().isListener());
    writePredicted(json, record);
  }

  private static void writeKernel(JsonGenerator json, KernelView kernel, boolean listener) throws IOException {
    json.writeObjectFieldStart("kernel");
    if (kernel != null) {
      json.writeStringField("state", kernel.state().name());
      if (listener) {
        json.writeNumberField("acceptQueue", kernel.acceptQueue());
      } else {
        json.writeNumberField("unreadBytes", kernel.unreadBytes());
        json.writeNumberField("unsentBytes", kernel.unsentBytes());
      }
    }
    json.writeEndObject();
  }

  private static void writePredicted(JsonGenerator json, TeardownRecord record) throws IOException {
    Outcome outcome = record.outcome();
    json.writeObjectFieldStart("predicted");
    json.writeArrayFieldStart("wire");
    for (WireSegment segment : outcome.allWire()) {
      json.writeString(segment.name());
    }
    json.writeEndArray();
    json.writeBooleanField("deferredUntilSelect", !outcome.wireAtDeregistration().isEmpty());
    TimeWaitHolder holder = outcome.timeWait();
    if (holder == TimeWaitHolder.LOCAL || holder == TimeWaitHolder.PEER) {
      json.writeStringField("timeWait", holder.reportName());
    } else {
      json.writeNullField("timeWait");
    }
    json.writeNumberField("discardedReceiveBytes", outcome.discardedReceiveBytes());
    json.writeNumberField("discardedSendBytes", outcome.discardedSendBytes());
    json.writeNumberField("pendingConnectionsReset", outcome.pendingConnectionsReset());
    json.writeStringField("peerRead", outcome.peer().read().name());
    json.writeStringField("peerWrite", outcome.peer().write().name());
    json.writeStringField("decidedAt", record.decidedAt().reportName());
    json.writeBooleanField("certain", record.certain());
    json.writeEndObject();
  }

  private static String address(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return address == null ? null : address.toString();
  }

  private interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  private static String write(Body body) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      body.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
