package io.teardownguard.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Predicted and observed values, field by field, for one scenario run. */
final class Comparison {
  private final Map<String, Object> predicted = new LinkedHashMap<>();
  private final Map<String, Object> observed = new LinkedHashMap<>();
  private final List<String> mismatches = new ArrayList<>();
  private boolean premiseMissed;

  /**
   * Records a field both sides have; a difference is a disagreement.
   *
   * @return whether the two agree
   */
  boolean compare(String field, Object predictedValue, Object observedValue) {
    predicted.put(field, predictedValue);
    observed.put(field, observedValue);
    boolean agree = Objects.equals(String.valueOf(predictedValue), String.valueOf(observedValue));
    if (!agree) {
      mismatches.add(field + ": predicted " + predictedValue + ", observed " + observedValue);
    }
    return agree;
  }

  /**
   * A state the scenario must reach for its claim to be tested (bytes still in flight at the call),
   * which the machine's timing decides, not the model: a run that missed it tested nothing.
   */
  void premise(String field, Object expectedValue, Object observedValue) {
    premiseMissed |= !compare(field, expectedValue, observedValue);
  }

  boolean premiseMissed() {
    return premiseMissed;
  }

  /** Extra context shown with the prediction (findings, derivation); not compared. */
  void explain(String field, Object value) {
    predicted.put(field, value);
  }

  /** A step that could not be carried out: the run does not agree. */
  void fail(String reason) {
    mismatches.add(reason);
  }

  Map<String, Object> predicted() {
    return predicted;
  }

  Map<String, Object> observed() {
    return observed;
  }

  List<String> mismatches() {
    return mismatches;
  }
}
