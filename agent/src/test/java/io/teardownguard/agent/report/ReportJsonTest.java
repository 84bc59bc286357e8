package io.teardownguard.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.teardownguard.agent.observation.CallSite;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.semantics.TeardownModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ReportJsonTest {
  private static final JsonFactory JSON = new JsonFactory();

  private static TeardownRecord record(SocketSnapshot snapshot, InetSocketAddress local, InetSocketAddress remote,
      String thread) {
    TeardownCall close = TeardownCall.of(TeardownCall.Op.CLOSE);
    return new TeardownRecord(close, snapshot, null, TeardownModel.predict(snapshot, close), local, remote,
        Instant.now(), thread, () -> new CallSite("java.net.Socket", "Test.close(Test.java:1)", List.of()), false);
  }

  private static SocketSnapshot connected() {
    return SocketSnapshot.connected(JavaApi.SOCKET, ChannelMode.BLOCKING, 17, TcpState.ESTABLISHED);
  }

  /** The line's top-level string fields, read back by a strict parser from its UTF-8 bytes. */
  private static Map<String, String> fields(String line) throws IOException {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser parser = JSON.createParser(line.getBytes(StandardCharsets.UTF_8))) {
      assertEquals(JsonToken.START_OBJECT, parser.nextToken());
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NULL) {
          fields.put(name, parser.getValueAsString());
        } else {
          parser.skipChildren();
        }
      }
    }
    return fields;
  }

  @Test
  void ipv6AddressesAreBracketed() throws IOException {
    InetSocketAddress local = new InetSocketAddress(InetAddress.getByName("::1"), 42415);
    InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80);

    Map<String, String> fields = fields(ReportJson.teardown(record(connected(), local, remote, "main")));

    assertEquals("[0:0:0:0:0:0:0:1]:42415", fields.get("local"));
    assertEquals("127.0.0.1:80", fields.get("remote"));
  }

  @Test
  void aListenerHasNoRemoteWhicheverApiClosedIt() throws IOException {
    SocketSnapshot listener = SocketSnapshot.listener(JavaApi.SERVER_SOCKET, ChannelMode.BLOCKING, 17, 0);
    InetSocketAddress wildcard = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);

    Map<String, String> fields = fields(ReportJson.teardown(record(listener, wildcard, wildcard, "main")));

    assertTrue(fields.containsKey("remote"));
    assertEquals(null, fields.get("remote"));
  }

  @Test
  void aThreadNameWithAnUnpairedSurrogateIsEscapedAndReadsBackTheSame() throws IOException {
    String odd = "worker-\uD83D-\uDE00-\uD83D\uDE00-end\uD800";

    String line = ReportJson.teardown(record(connected(), null, null, odd));

    assertEquals(odd, fields(line).get("thread"), line);
    assertTrue(line.contains("worker-\\uD83D-\\uDE00-\uD83D\uDE00-end\\uD800"), line);
    assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(line), "every char of the line encodes in UTF-8");
  }
}
