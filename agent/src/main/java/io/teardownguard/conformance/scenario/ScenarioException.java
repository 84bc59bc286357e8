package io.teardownguard.conformance.scenario;

/** A scenario file that does not parse, or a step that cannot be carried out. */
public final class ScenarioException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ScenarioException(String message) {
    super(message);
  }

  public ScenarioException(String message, Throwable cause) {
    super(message, cause);
  }
}
