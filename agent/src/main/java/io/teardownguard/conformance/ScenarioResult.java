package io.teardownguard.conformance;

import java.util.List;
import java.util.Map;

/** One scenario run's verdict, as the report prints and the JSON holds it. */
public record ScenarioResult(
    String name,
    String description,
    List<String> sources,
    Map<String, Object> predicted,
    Map<String, Object> observed,
    List<String> mismatches,
    long millis) {

  public boolean agrees() {
    return mismatches.isEmpty() && !observed.isEmpty();
  }
}
