package io.teardownguard.agent.metrics;

import io.teardownguard.agent.observation.OutcomeClass;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.rules.Rule;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The meters, the one table of their names and tags (README, "Metrics, Prometheus and JFR"; the
 * dashboard's queries are checked against what this registers). Every tag combination is
 * registered up front, at zero: the series exist from the first scrape, so rates and the
 * dashboard work before anything goes wrong, and no tag value comes from a socket (no port, no
 * address), so the series count is fixed: rules, API x outcome, two directions.
 */
public final class TeardownMeters {
  public static final String FINDINGS = "teardown.findings";
  public static final String CLOSES = "teardown.closes";
  public static final String DISCARDED_BYTES = "teardown.discarded.bytes";
  public static final String TIME_WAIT = "teardown.time_wait";
  public static final String AGENT_ERRORS = "teardown.agent.errors";

  private TeardownMeters() {}

  /**
   * Registers every meter in {@code sink}.
   *
   * @param agentErrors the agent's internal errors, as the exit summary counts them
   */
  public static void bind(TeardownCounters counters, LongSupplier agentErrors, MeterSink sink) throws Exception {
    AdderSum sum = new AdderSum();
    for (Rule rule : Rule.values()) {
      sink.counter(FINDINGS, "Unsafe socket teardowns, by rule (every occurrence)", null,
          new String[] {"rule", rule.id(), "severity", rule.severity().name()}, counters.findings(rule), sum);
    }
    for (JavaApi api : JavaApi.values()) {
      for (OutcomeClass outcome : OutcomeClass.values()) {
        sink.counter(CLOSES, "Socket closes, by the API used and what they put on the wire", null,
            new String[] {"api", api.tag(), "outcome", outcome.tag()},
            counters.closes(api, outcome), sum);
      }
    }
    sink.counter(DISCARDED_BYTES, "Bytes a teardown threw away: unread received data, or unsent data", "bytes",
        new String[] {"direction", "receive"}, counters.discardedBytes(true), sum);
    sink.counter(DISCARDED_BYTES, "Bytes a teardown threw away: unread received data, or unsent data", "bytes",
        new String[] {"direction", "send"}, counters.discardedBytes(false), sum);
    sink.counter(TIME_WAIT, "Teardowns that leave a TIME_WAIT entry here (60 s each): this process closed first,"
        + " or both at once; the exit summary's local TIME_WAIT", null,
        new String[0], counters.timeWait(), sum);
    sink.counter(AGENT_ERRORS, "Errors inside Teardown Guard (counted, never thrown into the application)", null,
        new String[0], agentErrors, new SupplierValue());
  }

  /** Classes rather than method references: nothing here needs the lambda machinery. */
  private static final class AdderSum implements ToDoubleFunction<LongAdder> {
    @Override
    public double applyAsDouble(LongAdder adder) {
      return adder.sum();
    }
  }

  private static final class SupplierValue implements ToDoubleFunction<LongSupplier> {
    @Override
    public double applyAsDouble(LongSupplier supplier) {
      return supplier.getAsLong();
    }
  }
}
