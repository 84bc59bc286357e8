package io.teardownguard.agent.metrics;

import io.teardownguard.agent.observation.LocalTimeWait;
import io.teardownguard.agent.observation.OutcomeClass;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.rules.Rule;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the meters count, kept whether or not any registry reads them, so that a registry that
 * appears later (the application's Micrometer, initialised after its first sockets) still sees
 * every teardown since start. Updated inside the application's teardown call: fixed arrays of
 * {@link LongAdder}s indexed by enum ordinals, so an update takes no lock and allocates nothing,
 * and the tag sets are bounded by the enums (rule, API x outcome, direction). The exit summary's
 * totals are read from the same adders, so a teardown that reports nothing pays two or three
 * increments, no more (issue 14).
 */
public final class TeardownCounters {
  private final LongAdder[] findingsByRule = adders(Rule.values().length);
  private final LongAdder[][] closesByApiAndOutcome = new LongAdder[JavaApi.values().length][];
  /** The teardowns that do not close (shutdowns, setSoLinger), for the summary's totals. */
  private final LongAdder[] othersByOutcome = adders(OutcomeClass.values().length);
  private final LongAdder discardedReceiveBytes = new LongAdder();
  private final LongAdder discardedSendBytes = new LongAdder();
  private final LongAdder timeWait = new LongAdder();

  public TeardownCounters() {
    for (int api = 0; api < closesByApiAndOutcome.length; api++) {
      closesByApiAndOutcome[api] = adders(OutcomeClass.values().length);
    }
  }

  /** One teardown call, with the wire outcome the reporter already classified. */
  public void teardown(TeardownCall call, JavaApi api, Outcome outcome, OutcomeClass outcomeClass) {
    teardown(call, api, outcomeClass, outcome.discardedReceiveBytes(), outcome.discardedSendBytes(),
        LocalTimeWait.after(outcome));
  }

  /** The same from the facts the counts need, for a teardown whose outcome was never made. */
  public void teardown(TeardownCall call, JavaApi api, OutcomeClass outcomeClass, long discardedReceive,
      long discardedSend, boolean localTimeWait) {
    if (call.closesSocket()) {
      closesByApiAndOutcome[api.ordinal()][outcomeClass.ordinal()].increment();
    } else {
      othersByOutcome[outcomeClass.ordinal()].increment();
    }
    if (discardedReceive > 0) {
      discardedReceiveBytes.add(discardedReceive);
    }
    if (discardedSend > 0) {
      discardedSendBytes.add(discardedSend);
    }
    if (localTimeWait) {
      timeWait.increment();
    }
  }

  /** Teardowns since start (closes and the others) whose wire outcome was {@code outcome}. */
  public long teardowns(OutcomeClass outcome) {
    long count = othersByOutcome[outcome.ordinal()].sum();
    for (LongAdder[] byOutcome : closesByApiAndOutcome) {
      count += byOutcome[outcome.ordinal()].sum();
    }
    return count;
  }

  /** Teardowns after which this side holds TIME_WAIT ({@link LocalTimeWait}), since start. */
  public long localTimeWait() {
    return timeWait.sum();
  }

  /** One occurrence of a finding (every occurrence, not only the first at a call site). */
  public void finding(Rule rule) {
    findingsByRule[rule.ordinal()].increment();
  }

  LongAdder findings(Rule rule) {
    return findingsByRule[rule.ordinal()];
  }

  LongAdder closes(JavaApi api, OutcomeClass outcome) {
    return closesByApiAndOutcome[api.ordinal()][outcome.ordinal()];
  }

  LongAdder discardedBytes(boolean receive) {
    return receive ? discardedReceiveBytes : discardedSendBytes;
  }

  LongAdder timeWait() {
    return timeWait;
  }

  private static LongAdder[] adders(int count) {
    LongAdder[] adders = new LongAdder[count];
    for (int i = 0; i < count; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }
}
