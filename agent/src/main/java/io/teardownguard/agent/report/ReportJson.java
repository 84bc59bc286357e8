package io.teardownguard.agent.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.teardownguard.agent.observation.CallSite;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.model.Condition;
import io.teardownguard.model.Finding;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.TimeWaitHolder;
import io.teardownguard.model.WireSegment;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;

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
    // A listener has no peer: null, whichever API closed it (a ServerSocket's impl reports 0.0.0.0:0).
    json.writeStringField("remote", record.snapshot().api().isListener() ? null : address(record.remote()));
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
        // tcp_info's tcpi_notsent_bytes; SIOCOUTQ less it; tcpi_snd_wnd (the last two absent when unknown).
        json.writeNumberField("notSentBytes", kernel.notSentBytes());
        if (kernel.unackedBytes() != KernelView.UNKNOWN) {
          json.writeNumberField("unackedBytes", kernel.unackedBytes());
        }
        if (kernel.sendWindow() != KernelView.UNKNOWN) {
          json.writeNumberField("sendWindow", kernel.sendWindow());
        }
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
    json.writeArrayFieldStart("conditions");
    for (Condition condition : outcome.conditions()) {
      json.writeString(condition.name());
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  /** {@code 127.0.0.1:80}, {@code [::1]:80} (RFC 3986 section 3.2.2: an IPv6 literal is bracketed). */
  static String address(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      String host = inet.getAddress().getHostAddress();
      return (inet.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + inet.getPort();
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
    return escapeLoneSurrogates(out.toString());
  }

  /**
   * Replaces each unpaired UTF-16 surrogate (a thread name, say, cut mid-pair) with its JSON
   * escape (a backslash, {@code u} and four hex digits): Jackson copies it into the string as it
   * is, and no UTF-8 encoder can write it (RFC 8259 section 8.2). Such a char can only sit inside a
   * JSON string, where the escape means the same char, so the line stays valid and says exactly
   * what the name held.
   */
  static String escapeLoneSurrogates(String line) {
    StringBuilder escaped = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < line.length()
          && Character.isLowSurrogate(line.charAt(i + 1));
      if (paired) {
        if (escaped != null) {
          escaped.append(c).append(line.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (escaped == null) {
          escaped = new StringBuilder(line.length() + 16).append(line, 0, i);
        }
        escaped.append("\\u").append(Integer.toHexString(c).toUpperCase(Locale.ROOT));
      } else if (escaped != null) {
        escaped.append(c);
      }
    }
    return escaped == null ? line : escaped.toString();
  }
}
