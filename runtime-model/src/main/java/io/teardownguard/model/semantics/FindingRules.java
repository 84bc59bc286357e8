package io.teardownguard.model.semantics;

import io.teardownguard.model.Finding;
import io.teardownguard.model.Linger;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.WireSegment;
import io.teardownguard.model.rules.Rule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Turns the kernel rows a call went through, and its end state, into findings with numbers. */
final class FindingRules {
  private final SocketSnapshot snapshot;
  private final TeardownCall call;
  private final List<KernelLayer.Step> steps;
  private final KernelSocket end;
  private final List<WireSegment> onLaterPeerData;
  private final long discardedSend;

  FindingRules(SocketSnapshot snapshot, TeardownCall call, List<KernelLayer.Step> steps,
      KernelSocket end, List<WireSegment> onLaterPeerData, long discardedSend) {
    this.snapshot = snapshot;
    this.call = call;
    this.steps = steps;
    this.end = end;
    this.onLaterPeerData = onLaterPeerData;
    this.discardedSend = discardedSend;
  }

  List<Finding> findings() {
    List<Finding> findings = new ArrayList<>();
    for (KernelLayer.Step step : steps) {
      Rule rule = step.row().rule();
      if (rule == Rule.CLOSE_WITH_UNREAD_DATA) {
        findings.add(new Finding(rule, "close() with " + snapshot.unreadBytes()
            + " unread bytes sends RST instead of an orderly close; the peer's pending data is lost"));
      } else if (rule == Rule.ABORTIVE_CLOSE) {
        findings.add(new Finding(rule, "close() with SO_LINGER 0 sends RST; the peer sees "
            + "\"Connection reset\" and nobody holds TIME_WAIT"));
      } else if (rule == Rule.LISTENER_CLOSED_WITH_PENDING_CONNECTIONS && snapshot.acceptQueue() > 0) {
        findings.add(new Finding(rule, "closing the listener resets " + snapshot.acceptQueue()
            + " connection(s) still waiting in its accept queue"));
      }
      if (Linger.isBlocking(step.effect().blocksUpToSeconds())) {
        findings.add(new Finding(Rule.BLOCKING_LINGER_CLOSE, "close() with SO_LINGER "
            + step.effect().blocksUpToSeconds() + " s blocks until the peer acknowledges our FIN"
            + " (up to that long), and Linux does not reset on timeout"));
      }
    }
    if (discardedSend > 0) {
      findings.add(new Finding(Rule.SEND_DATA_DISCARDED, discardedSend
          + " written bytes are discarded: the peer will never receive them"));
    }
    boolean shutdownCall = call.op() == TeardownCall.Op.SHUTDOWN_INPUT
        || call.op() == TeardownCall.Op.SHUTDOWN_OUTPUT;
    if (shutdownCall && !end.orphan() && onLaterPeerData.contains(WireSegment.RST)) {
      findings.add(new Finding(Rule.RESET_ON_DATA_AFTER_SHUTDOWN, "both directions are now shut;"
          + " any data the peer still sends is answered with RST"));
    }
    if (call.op() == TeardownCall.Op.SHUTDOWN_INPUT && !snapshot.inputShut()
        && (snapshot.unreadBytes() > 0 || !snapshot.peerOutputShut())) {
      findings.add(new Finding(Rule.SHUTDOWN_INPUT_HIDES_DATA, "shutdownInput() hides "
          + snapshot.unreadBytes() + " queued bytes and everything the peer still sends: Java reads"
          + " return -1, and a later close() resets"));
    }
    findings.sort(MOST_SEVERE_FIRST);
    return findings;
  }

  /**
   * A class, not {@code Comparator.comparing(...).reversed()}: its lambdas cost LambdaMetafactory
   * spins on the first finding. Stable, so findings of one severity keep their order.
   */
  private static final class MostSevereFirst implements Comparator<Finding> {
    @Override
    public int compare(Finding a, Finding b) {
      return b.severity().compareTo(a.severity());
    }
  }

  private static final Comparator<Finding> MOST_SEVERE_FIRST = new MostSevereFirst();
}
