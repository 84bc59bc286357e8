package io.teardownguard.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.teardownguard.agent.config.AgentOptions;
import io.teardownguard.agent.metrics.TeardownMeters;
import io.teardownguard.agent.metrics.prometheus.AgentRegistry;
import io.teardownguard.agent.observation.CallSite;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.TimeWaitHolder;
import io.teardownguard.model.semantics.TeardownModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ReporterTest {
  private final Reporter reporter =
      new Reporter(AgentOptions.parse("timeWaitThreshold=1", Map.<String, String>of()::get, w -> {}));

  /** A close of a connection whose peer has sent nothing: this side closes first and holds TIME_WAIT. */
  private static TeardownRecord activeClose(boolean serverSide) {
    SocketSnapshot snapshot = SocketSnapshot.connected(JavaApi.SOCKET, ChannelMode.BLOCKING, 17, TcpState.ESTABLISHED);
    TeardownCall close = TeardownCall.of(TeardownCall.Op.CLOSE);
    Outcome outcome = TeardownModel.predict(snapshot, close);
    assertEquals(TimeWaitHolder.LOCAL, outcome.timeWait());
    return new TeardownRecord(close, snapshot, null, outcome, null, null, Instant.now(), "test",
        () -> new CallSite("java.net.Socket", "Test.close(Test.java:1)", List.of()), serverSide);
  }

  @Test
  void theSummarysLocalTimeWaitIsWhatTheMeterCountsWithTheAcceptedOnesApart() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TeardownMeters.bind(reporter.counters(), () -> 0, new AgentRegistry(registry));
    reporter.record(activeClose(false));
    reporter.record(activeClose(false));
    reporter.record(activeClose(true));

    Totals totals = reporter.totals();
    String summary = ExitSummary.render(totals, 0);

    assertEquals(3, totals.localTimeWait());
    assertEquals(3.0, registry.get(TeardownMeters.TIME_WAIT).functionCounter().count());
    assertEquals(1, totals.serverSideTimeWait());
    assertTrue(summary.contains("; local TIME_WAIT 3 (on accepted connections 1)\n"), summary);
    assertTrue(summary.contains("SERVER_SIDE_TIME_WAIT"), summary);
  }
}
