package io.teardownguard.agent.report;

import io.teardownguard.model.WireSegment;
import java.util.List;

/** How a teardown ended on the wire, as the summary (and the metrics) count it. */
public enum OutcomeClass {
  FIN,
  RST,
  FIN_RST,
  NONE;

  public static OutcomeClass of(List<WireSegment> wire) {
    boolean fin = wire.contains(WireSegment.FIN);
    boolean rst = wire.contains(WireSegment.RST);
    if (fin && rst) {
      return FIN_RST;
    }
    return fin ? FIN : rst ? RST : NONE;
  }
}
