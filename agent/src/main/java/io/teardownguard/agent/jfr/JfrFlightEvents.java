package io.teardownguard.agent.jfr;

import io.teardownguard.agent.observation.CallSite;
import io.teardownguard.agent.observation.OutcomeClass;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.agent.report.FlightEvents;
import io.teardownguard.agent.report.Reporter;
import io.teardownguard.model.Finding;
import io.teardownguard.model.Outcome;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Commits {@code teardown.Finding} and {@code teardown.Teardown}. An event object is made per
 * call, but {@code isEnabled()} is asked before anything else is done: with no recording running
 * (or these events disabled in it) a call costs a small allocation (which escape analysis usually
 * removes) and a flag test, and a teardown event's call site is walked only when it will be
 * committed.
 */
public final class JfrFlightEvents implements FlightEvents {
  private JfrFlightEvents() {}

  /**
   * Hands {@code reporter} the JFR events now if Flight Recorder already runs (a recording started
   * with the JVM, -XX:StartFlightRecording), so that the application's first findings reach it.
   * Otherwise nothing: defining an event class registers it with JFR, which loads about 90 of
   * JFR's classes, and a JVM that never records should pay none of it. Needs the jdk.jfr module.
   *
   * @return whether the events were handed over
   */
  public static boolean ifRecording(Reporter reporter) {
    if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty() || !FlightRecorder.isInitialized()) {
      return false;
    }
    reporter.flightEvents(load());
    return true;
  }

  /**
   * Hands {@code reporter} the JFR events when Flight Recorder starts later (jcmd JFR.start, JMC),
   * or at once if it has started since {@link #ifRecording}. Registering the listener loads a
   * dozen or two of JFR's classes, so the agent does it at the end of its warm-up.
   */
  public static void whenRecordingStarts(Reporter reporter) {
    if (ModuleLayer.boot().findModule("jdk.jfr").isPresent()) {
      FlightRecorder.addListener(new RecorderStarted(reporter));
    }
  }

  /** Loads and initialises both event classes, on the calling thread. */
  private static FlightEvents load() {
    new FindingEvent().isEnabled();
    new TeardownEvent().isEnabled();
    return new JfrFlightEvents();
  }

  /** Called once, on the thread that initialises Flight Recorder. */
  private static final class RecorderStarted implements FlightRecorderListener {
    private final Reporter reporter;

    RecorderStarted(Reporter reporter) {
      this.reporter = reporter;
    }

    @Override
    public void recorderInitialized(FlightRecorder recorder) {
      try {
        reporter.flightEvents(load());
      } catch (Throwable t) {
        reporter.agentErrors().incrementAndGet();
      }
    }
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
