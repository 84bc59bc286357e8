package io.teardownguard.agent.report;

import io.teardownguard.model.rules.Severity;

/**
 * One occurrence of a finding, as listeners (the JUnit extension, the programmatic API) see it.
 *
 * @param rule the rule id, e.g. {@code CLOSE_WITH_UNREAD_DATA}
 * @param severity its severity
 * @param message one sentence about this call
 * @param site the application's call site, {@code class.method(File:line)}
 * @param api the class the application used
 * @param op close, shutdownInput, shutdownOutput, setSoLinger or listenerClose
 */
public record FindingEvent(String rule, Severity severity, String message, String site, String api, String op) {

  @Override
  public String toString() {
    return severity + " " + rule + " at " + site + ": " + message;
  }
}
