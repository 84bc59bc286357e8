package io.teardownguard.model.rules;

/** How bad a finding is: ERROR loses data, WARNING may, INFO only explains. */
public enum Severity {
  INFO,
  WARNING,
  ERROR
}
