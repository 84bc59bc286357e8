package io.teardownguard.agent.core;

import io.teardownguard.model.Finding;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.TimeWaitHolder;
import io.teardownguard.model.WireSegment;
import io.teardownguard.model.rules.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A registered channel's teardown in two parts: what close() did at once (shutdown(SHUT_WR)),
 * predicted with the socket as it was then, and the close(2) the Selector performs later,
 * predicted again with the socket as it is at that moment (data may have arrived in between).
 */
final class DeferredOutcome {
  private DeferredOutcome() {}

  static Outcome merge(Outcome atClose, Outcome atRelease) {
    return merge(atClose, atRelease, atRelease.findings());
  }

  /**
   * A close whose Selector never released the socket: the prediction at close() stands, with the
   * finding that the socket was left open.
   */
  static Outcome neverReleased(Outcome atClose) {
    List<Finding> findings = new ArrayList<>(atClose.findings());
    findings.add(new Finding(Rule.CLOSE_DEFERRED_BY_SELECTOR, "close() returned, but no select ran before exit:"
        + " the socket was never released and the connection stayed open"));
    return merge(atClose, atClose, findings);
  }

  private static Outcome merge(Outcome atClose, Outcome atRelease, List<Finding> findings) {
    Map<String, Long> counters = new LinkedHashMap<>(atClose.counterDeltas());
    atRelease.counterDeltas().forEach((k, v) -> counters.merge(k, v, Long::sum));
    boolean resetLater = atRelease.allWire().contains(WireSegment.RST);
    TimeWaitHolder timeWait = resetLater || atClose.timeWait() == null ? atRelease.timeWait() : atClose.timeWait();
    List<String> derivation = new ArrayList<>(atClose.derivation());
    atRelease.derivation().forEach(d -> derivation.add("at release: " + d));
    return new Outcome(atClose.syscalls(), atClose.wire(), atRelease.allWire(), atRelease.stateAfter(), timeWait,
        atRelease.discardedReceiveBytes(), atRelease.discardedSendBytes(), atRelease.pendingConnectionsReset(),
        atRelease.peer(), atRelease.onLaterPeerData(), counters, 0,
        List.copyOf(new LinkedHashSet<>(concat(atClose.conditions(), atRelease.conditions()))), findings, derivation);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
