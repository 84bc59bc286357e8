package io.teardownguard.model;

import io.teardownguard.model.rules.Citation;
import io.teardownguard.model.rules.Rule;
import io.teardownguard.model.rules.Severity;
import java.util.List;

/**
 * A hazard the model found in one teardown call.
 *
 * @param rule the rule that fired
 * @param message one sentence about this call, with its numbers
 */
public record Finding(Rule rule, String message) {

  public String ruleId() {
    return rule.id();
  }

  public Severity severity() {
    return rule.severity();
  }

  public String remedy() {
    return rule.remedy();
  }

  public List<Citation> citations() {
    return rule.citations();
  }
}
