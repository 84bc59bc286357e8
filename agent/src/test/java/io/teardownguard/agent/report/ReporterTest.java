package io.teardownguard.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.teardownguard.agent.config.AgentOptions;
import io.teardownguard.agent.metrics.TeardownMeters;
import io.teardownguard.agent.metrics.prometheus.AgentRegistry;
import io.teardownguard.agent.observation.CallSite;
import io.teardownguard.agent.observation.OutcomeClass;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.TimeWaitHolder;
import io.teardownguard.model.semantics.TeardownModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /**
   * A quiet close counted from its verdict alone counts as a recorded one, except the one that
   * reaches the server-side TIME_WAIT threshold: that one is refused, uncounted, so that the
   * caller counts it where its call site is walked, and the count stays exact.
   */
  @Test
  void aQuietCloseIsCountedFromItsVerdictUnlessItIsTheSampledServerSideTimeWaitOne() {
    Reporter sampling =
        new Reporter(AgentOptions.parse("timeWaitThreshold=3", Map.<String, String>of()::get, w -> {}));
    TeardownCall close = TeardownCall.of(TeardownCall.Op.CLOSE);

    assertTrue(sampling.countQuiet(close, JavaApi.SOCKET, OutcomeClass.FIN, true, false));
    assertTrue(sampling.countQuiet(close, JavaApi.SOCKET, OutcomeClass.FIN, true, true));
    assertTrue(sampling.countQuiet(close, JavaApi.SOCKET, OutcomeClass.FIN, true, true));
    assertFalse(sampling.countQuiet(close, JavaApi.SOCKET, OutcomeClass.FIN, true, true));
    assertEquals(2, sampling.totals().serverSideTimeWait());
    assertEquals(3, sampling.totals().localTimeWait());
    sampling.record(activeClose(true));
    assertTrue(sampling.countQuiet(close, JavaApi.SOCKET, OutcomeClass.FIN, true, true));

    Totals totals = sampling.totals();
    assertEquals(4, totals.serverSideTimeWait());
    assertEquals(5, totals.localTimeWait());
    assertTrue(ExitSummary.render(totals, 0).contains("SERVER_SIDE_TIME_WAIT"), ExitSummary.render(totals, 0));
  }

  @Test
  void everyTeardownGoesTheWholeWayWithEventsAll() {
    Reporter all = new Reporter(AgentOptions.parse("events=all", Map.<String, String>of()::get, w -> {}));

    assertFalse(all.countQuiet(TeardownCall.of(TeardownCall.Op.CLOSE), JavaApi.SOCKET, OutcomeClass.FIN, false, false));
    assertEquals(0, all.totals().localTimeWait());
  }

  /**
   * Threads of an exiting JVM go on closing while the summary is taken: a teardown already counted
   * whose line is not yet offered (its stack is being walked) is a line the summary's counts call
   * for, so it is among the dropped ones, and file plus dropped adds up to the counts.
   */
  @Test
  void aTeardownCountedButNotYetWrittenAtExitIsAmongTheDroppedLines(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r.jsonl");
    Reporter exiting = new Reporter(AgentOptions.parse("events=all,timeWaitThreshold=1000000,report=" + file,
        Map.<String, String>of()::get, w -> {}));
    exiting.start();
    for (int i = 0; i < 5; i++) {
      exiting.record(activeClose(false));
    }
    CountDownLatch walking = new CountDownLatch(1);
    CountDownLatch exited = new CountDownLatch(1);
    TeardownRecord late = activeClose(false);
    Thread closing = new Thread(() -> exiting.record(new TeardownRecord(late.call(), late.snapshot(), null,
        late.outcome(), null, null, Instant.now(), "late", () -> {
          walking.countDown();
          awaitQuietly(exited);
          return new CallSite("java.net.Socket", "Test.close(Test.java:2)", List.of());
        }, false)));
    closing.start();
    assertTrue(walking.await(10, TimeUnit.SECONDS));

    exiting.close();
    Totals totals = exiting.totals();
    exited.countDown();
    closing.join(10_000);

    long teardowns = totals.teardowns().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(6, teardowns);
    assertEquals(5, Files.readAllLines(file).size());
    assertEquals(1, totals.droppedEvents());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
