package io.teardownguard.model.semantics;

import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.Condition;
import io.teardownguard.model.Finding;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.Syscall;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.TimeWaitHolder;
import io.teardownguard.model.WireSegment;
import io.teardownguard.model.rules.Rule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The close of a channel registered with a Selector, in its two parts. At {@code close()},
 * {@code SocketChannelImpl.implCloseNonBlockingMode()} only shuts the output (a FIN, unless
 * SO_LINGER is 0) because {@code tryClose()} refuses while a key is registered; the close(2)
 * comes later, from {@code kill()} when the Selector's {@code processDeregisterQueue()} drops the
 * last key, or from the kernel when the process exits ({@code do_exit -> exit_files}). The second
 * part is predicted again from the socket as it is then: data may have arrived, the peer's FIN or
 * RST too. One connection sends at most one FIN: the close(2) of the second part finds the output
 * already shut by the first.
 */
public final class DeferredClose {
  private static final TeardownCall CLOSE = TeardownCall.of(TeardownCall.Op.CLOSE);

  private DeferredClose() {}

  /**
   * The teardown once the Selector released the socket.
   *
   * @param atClose the prediction made at close(), with the socket as it was then
   * @param atRelease the socket as read just before the deferred close(2), or null when it could
   *     not be read (the prediction at close() then stands)
   */
  public static Outcome released(Outcome atClose, SocketSnapshot atRelease) {
    if (atRelease == null) {
      return atClose;
    }
    return merge(atClose, TeardownModel.predict(asClosedThen(atClose, atRelease), CLOSE), List.of(), "at release: ");
  }

  /**
   * The teardown of a close no Selector released before the JVM exited: the kernel closes the
   * descriptor at process exit, with the socket as it is then.
   *
   * @param atExit the socket as read at exit, or null when it could not be read
   * @param finding the finding that the Selector never released it, or null when that was noise
   */
  /**
   * The {@code CLOSE_DEFERRED_BY_SELECTOR} finding of a close still waiting at exit.
   *
   * @param selectorBlocked a thread was blocked in select() on its Selector and never woke for
   *     it; else no thread selected on it again
   * @param pendingMillis how long before exit close() returned
   */
  public static Finding neverReleased(boolean selectorBlocked, long pendingMillis) {
    return new Finding(Rule.CLOSE_DEFERRED_BY_SELECTOR, selectorBlocked
        ? "close() returned " + pendingMillis + " ms before exit, but the Selector's thread stayed blocked in select()"
            + " and never released the socket: a close from another thread needs Selector.wakeup()"
        : "close() returned " + pendingMillis + " ms before exit, but no thread selected on the channel's Selector"
            + " again (the loop stopped, the Selector left open): the socket was never released and the connection"
            + " stayed open until the process ended");
  }

  public static Outcome closedAtExit(Outcome atClose, SocketSnapshot atExit, Finding finding) {
    List<Finding> extra = finding == null ? List.of() : List.of(finding);
    if (atExit == null) {
      return merge(atClose, withoutFirstPart(atClose), extra, "at exit: ");
    }
    return merge(atClose, TeardownModel.predict(asClosedThen(atClose, atExit), CLOSE), extra, "at exit: ");
  }

  /**
   * The socket the deferred close(2) finds: what was read then, as a plain close (no Selector is
   * left), with the output shut if close() shut it. Java's {@code isOutputClosed} does not record
   * the JDK's own shutdown, and a read taken before it went out may still show the state before.
   */
  static SocketSnapshot asClosedThen(Outcome atClose, SocketSnapshot now) {
    boolean shutByClose = atClose.syscalls().stream().anyMatch(s -> s.kind() == Syscall.Kind.SHUT_WR);
    TcpState state = now.state();
    if (shutByClose && state == TcpState.ESTABLISHED) {
      state = TcpState.FIN_WAIT1;
    } else if (shutByClose && state == TcpState.CLOSE_WAIT) {
      state = TcpState.LAST_ACK;
    }
    return new SocketSnapshot(now.api(), ChannelMode.NON_BLOCKING, now.jdkFeature(), state, now.connected(),
        now.unreadBytes(), now.unsentBytes(), now.inputShut(), now.outputShut() || shutByClose,
        now.peerOutputShut(), now.lingerSeconds(), now.acceptQueue());
  }

  /**
   * The close-time prediction's second part alone, when nothing newer is known: its deferred
   * segments, with everything else as predicted.
   */
  private static Outcome withoutFirstPart(Outcome atClose) {
    return new Outcome(atClose.syscalls(), atClose.wireAtDeregistration(), List.of(), atClose.stateAfter(),
        atClose.timeWait(), atClose.discardedReceiveBytes(), atClose.discardedSendBytes(),
        atClose.pendingConnectionsReset(), atClose.peer(), atClose.onLaterPeerData(), atClose.counterDeltas(), 0,
        atClose.conditions(), atClose.findings(), List.of());
  }

  /**
   * The first part's segments and syscalls, the second part's everything else. Counters,
   * discarded bytes and findings come from the close(2) alone: the shutdown of the first part
   * changes no counter and discards nothing.
   */
  private static Outcome merge(Outcome atClose, Outcome later, List<Finding> extra, String when) {
    boolean resetLater = later.allWire().contains(WireSegment.RST);
    TimeWaitHolder timeWait = resetLater || atClose.timeWait() == null ? later.timeWait() : atClose.timeWait();
    List<Condition> conditions = new ArrayList<>(atClose.conditions());
    conditions.addAll(later.conditions());
    List<Finding> findings = new ArrayList<>(later.findings());
    findings.addAll(extra);
    List<String> derivation = new ArrayList<>(atClose.derivation());
    later.derivation().forEach(d -> derivation.add(when + d));
    return new Outcome(atClose.syscalls(), atClose.wire(), later.allWire(), later.stateAfter(), timeWait,
        later.discardedReceiveBytes(), later.discardedSendBytes(), later.pendingConnectionsReset(), later.peer(),
        later.onLaterPeerData(), later.counterDeltas(), 0, List.copyOf(new LinkedHashSet<>(conditions)), findings,
        derivation);
  }
}
