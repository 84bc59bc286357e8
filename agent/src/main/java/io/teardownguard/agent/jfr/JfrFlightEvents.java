package io.teardownguard.agent.jfr;

import io.teardownguard.agent.core.CallSite;
import io.teardownguard.agent.core.TeardownRecord;
import io.teardownguard.agent.report.FlightEvents;
import io.teardownguard.agent.report.OutcomeClass;
import io.teardownguard.model.Finding;
import io.teardownguard.model.Outcome;

/**
 * Commits {@code teardown.Finding} and {@code teardown.Teardown}. An event object is made per
 * call, but {@code isEnabled()} is asked before anything else is done: with no recording running
 * (or these events disabled in it) a call costs one allocation the JIT can remove and a flag test,
 * and a teardown event's call site is walked only when it will be committed.
 */
public final class JfrFlightEvents implements FlightEvents {
  private JfrFlightEvents() {}

  /**
   * Loads and initialises both event classes now (on the calling thread: the agent's warm-up),
   * or returns {@link FlightEvents#NONE} when this JVM has no jdk.jfr module.
   */
  public static FlightEvents load() {
    if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
      return FlightEvents.NONE;
    }
    new FindingEvent().isEnabled();
    new TeardownEvent().isEnabled();
    return new JfrFlightEvents();
  }

  @Override
  public void finding(TeardownRecord record, Finding finding, CallSite site, OutcomeClass outcome) {
    FindingEvent event = new FindingEvent();
    if (!event.isEnabled()) {
      return;
    }
    Outcome predicted = record.outcome();
    event.rule = finding.ruleId();
    event.severity = finding.severity().name();
    event.op = record.op();
    event.api = site.api();
    event.outcome = outcome.tag();
    event.discardedReceiveBytes = predicted.discardedReceiveBytes();
    event.discardedSendBytes = predicted.discardedSendBytes();
    event.site = site.site();
    event.message = finding.message();
    event.commit();
  }

  @Override
  public void teardown(TeardownRecord record, OutcomeClass outcome) {
    TeardownEvent event = new TeardownEvent();
    if (!event.isEnabled()) {
      return;
    }
    CallSite site = record.callSite().get();
    Outcome predicted = record.outcome();
    event.op = record.op();
    event.api = site.api();
    event.outcome = outcome.tag();
    event.timeWait = predicted.timeWait() == null ? "none" : predicted.timeWait().reportName();
    event.discardedReceiveBytes = predicted.discardedReceiveBytes();
    event.discardedSendBytes = predicted.discardedSendBytes();
    event.site = site.site();
    event.commit();
  }
}
