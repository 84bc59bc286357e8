package io.teardownguard.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.teardownguard.agent.config.AgentOptions;
import io.teardownguard.agent.metrics.prometheus.AgentRegistry;
import io.teardownguard.agent.observation.CallSite;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.agent.report.Reporter;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.rules.Rule;
import io.teardownguard.model.semantics.TeardownModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

final class TeardownMetersTest {
  private final Reporter reporter = new Reporter(AgentOptions.parse(null, Map.<String, String>of()::get, w -> {}));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void everyTagCombinationIsRegisteredAtZeroWithBoundedTags() throws Exception {
    TeardownMeters.bind(reporter.counters(), () -> 0, new AgentRegistry(registry));

    int closes = JavaApi.values().length * 4;
    assertEquals(Rule.values().length + closes + 2 + 1 + 1, registry.getMeters().size());
    Set<String> tagKeys = new TreeSet<>();
    for (Meter meter : registry.getMeters()) {
      assertEquals(0.0, ((FunctionCounter) meter).count(), meter.getId().toString());
      meter.getId().getTags().forEach(tag -> tagKeys.add(tag.getKey()));
    }
    assertEquals(Set.of("api", "direction", "outcome", "rule", "severity"), tagKeys);
    assertEquals("SocketChannel", JavaApi.SOCKET_CHANNEL.tag());
  }

  @Test
  void aCloseWithUnreadBytesCountsTheFindingTheResetAndTheDiscardedBytes() throws Exception {
    TeardownMeters.bind(reporter.counters(), () -> 7, new AgentRegistry(registry));

    reporter.record(closeWithUnread(JavaApi.SOCKET, 5));
    reporter.record(closeWithUnread(JavaApi.SOCKET, 3));

    assertEquals(2.0, registry.get(TeardownMeters.FINDINGS).tags("rule", "CLOSE_WITH_UNREAD_DATA", "severity", "ERROR")
        .functionCounter().count());
    assertEquals(2.0, registry.get(TeardownMeters.CLOSES).tags("api", "Socket", "outcome", "fin_rst")
        .functionCounter().count());
    assertEquals(8.0, registry.get(TeardownMeters.DISCARDED_BYTES).tags("direction", "receive").functionCounter().count());
    assertEquals(0.0, registry.get(TeardownMeters.DISCARDED_BYTES).tags("direction", "send").functionCounter().count());
    assertEquals(7.0, registry.get(TeardownMeters.AGENT_ERRORS).functionCounter().count());
  }

  @Test
  void theApplicationRegistryGetsTheSameMetersThroughItsOwnClasses() throws Exception {
    Metrics.globalRegistry.add(registry);
    try {
      reporter.record(closeWithUnread(JavaApi.SOCKET_CHANNEL, 4));
      TeardownMeters.bind(reporter.counters(), () -> 0, ApplicationRegistry.of(getClass().getClassLoader()));

      assertEquals(1.0, registry.get(TeardownMeters.CLOSES).tags("api", "SocketChannel", "outcome", "rst")
          .functionCounter().count(), "counts from before the binding are there (a channel sends no FIN first)");
      assertEquals(4.0, registry.get(TeardownMeters.DISCARDED_BYTES).tags("direction", "receive").functionCounter().count());
      assertTrue(registry.get(TeardownMeters.DISCARDED_BYTES).functionCounters().stream()
          .allMatch(c -> "bytes".equals(c.getId().getBaseUnit())));
    } finally {
      Metrics.globalRegistry.remove(registry);
      Metrics.globalRegistry.clear();
    }
  }

  private static TeardownRecord closeWithUnread(JavaApi api, int unread) {
    SocketSnapshot snapshot = SocketSnapshot.connected(api, ChannelMode.BLOCKING, 17, TcpState.ESTABLISHED)
        .withUnreadBytes(unread);
    TeardownCall close = TeardownCall.of(TeardownCall.Op.CLOSE);
    Outcome outcome = TeardownModel.predict(snapshot, close);
    return new TeardownRecord(close, snapshot, null, outcome, null, null, Instant.now(), "test",
        () -> new CallSite("java.net.Socket", "Test.close(Test.java:1)", List.of()), false);
  }
}
