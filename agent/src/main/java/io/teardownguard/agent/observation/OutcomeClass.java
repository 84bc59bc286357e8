package io.teardownguard.agent.observation;

import io.teardownguard.model.WireSegment;
import java.util.List;

/** How a teardown ended on the wire, as the summary (and the metrics) count it. */
public enum OutcomeClass {
  FIN("fin"),
  RST("rst"),
  FIN_RST("fin_rst"),
  NONE("none");

  private final String tag;

  OutcomeClass(String tag) {
    this.tag = tag;
  }

  /** The value of the {@code outcome} tag and JFR field: fin, rst, fin_rst, none. */
  public String tag() {
    return tag;
  }

  public static OutcomeClass of(List<WireSegment> wire) {
    boolean fin = wire.contains(WireSegment.FIN);
    boolean rst = wire.contains(WireSegment.RST);
    if (fin && rst) {
      return FIN_RST;
    }
    return fin ? FIN : rst ? RST : NONE;
  }
}
