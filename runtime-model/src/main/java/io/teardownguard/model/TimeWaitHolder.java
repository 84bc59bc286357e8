package io.teardownguard.model;

/** Which end of a connection will hold TIME_WAIT once both ends have finished. */
public enum TimeWaitHolder {
  LOCAL("local"),
  PEER("peer"),
  /** Both ends, after a simultaneous close (each FIN crossed the other: CLOSING, then TIME_WAIT). */
  BOTH("both"),
  /** The connection ends with a reset (or a listener's children are dropped): nobody holds it. */
  NONE("none");

  private final String reportName;

  TimeWaitHolder(String reportName) {
    this.reportName = reportName;
  }

  public String reportName() {
    return reportName;
  }
}
