package io.teardownguard.agent.report;

import io.teardownguard.agent.observation.CallSite;
import io.teardownguard.agent.observation.OutcomeClass;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.model.Finding;

/**
 * Where the reporter sends Java Flight Recorder events. {@link #NONE} until the agent's warm-up
 * thread has loaded the JFR event classes (io.teardownguard.agent.jfr), so that neither JVM
 * start-up nor the application's first close() pays for loading them, and the reporter itself
 * never refers to a JFR type.
 */
public interface FlightEvents {
  FlightEvents NONE = new FlightEvents() {
    @Override
    public void finding(TeardownRecord record, Finding finding, CallSite site, OutcomeClass outcome) {}

    @Override
    public void teardown(TeardownRecord record, OutcomeClass outcome) {}
  };

  /** A finding (every occurrence), committed only while a recording enables the event. */
  void finding(TeardownRecord record, Finding finding, CallSite site, OutcomeClass outcome);

  /** A teardown call ({@code events=all}), committed only while a recording enables the event. */
  void teardown(TeardownRecord record, OutcomeClass outcome);
}
