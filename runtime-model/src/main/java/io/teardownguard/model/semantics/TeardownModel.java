package io.teardownguard.model.semantics;

import io.teardownguard.model.Condition;
import io.teardownguard.model.Finding;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.PeerView;
import io.teardownguard.model.PeerView.PeerRead;
import io.teardownguard.model.PeerView.PeerWrite;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.Syscall;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.TimeWaitHolder;
import io.teardownguard.model.WireSegment;
import io.teardownguard.model.rules.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Predicts what a teardown call does: the JDK layer turns the call into syscalls, the kernel
 * layer steps the socket through them, and the outcome is read off the result. Pure: no I/O, no
 * state, safe to call from any thread.
 */
public final class TeardownModel {
  private static final Set<TcpState> OUR_FIN_SENT = Set.of(
      TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, TcpState.CLOSING, TcpState.LAST_ACK, TcpState.TIME_WAIT);
  /** Our FIN sent, the peer's not received: its FIN would close the socket (tcp_fin, tcp_time_wait). */
  private static final Set<TcpState> FIN_SENT_PEER_OPEN = Set.of(TcpState.FIN_WAIT1, TcpState.FIN_WAIT2);

  private TeardownModel() {}

  public static Outcome predict(SocketSnapshot snapshot, TeardownCall call) {
    JdkRow jdkRow = JdkLayer.row(snapshot, call);
    List<Syscall> syscalls = jdkRow.syscalls(snapshot, call);
    List<String> derivation = new ArrayList<>();
    derivation.add("jdk: " + jdkRow.id() + " -> " + jdkRow.description());

    KernelSocket socket = KernelSocket.of(snapshot);
    List<KernelLayer.Step> now = new ArrayList<>();
    List<KernelLayer.Step> atDeregistration = new ArrayList<>();
    boolean peerFinRaces = false;
    for (Syscall syscall : syscalls) {
      KernelLayer.Step step = KernelLayer.apply(socket, syscall);
      peerFinRaces |= step.row().rule() == Rule.CLOSE_WITH_UNREAD_DATA && !socket.peerFin()
          && FIN_SENT_PEER_OPEN.contains(socket.state());
      (syscall.kind() == Syscall.Kind.CLOSE_AT_DEREGISTRATION ? atDeregistration : now).add(step);
      derivation.add("kernel: " + syscall + " -> " + step.row().id());
      socket = settle(step.effect().after());
    }
    return new OutcomeBuilder(snapshot, call, syscalls, now, atDeregistration, socket, derivation, peerFinRaces)
        .build();
  }

  private static KernelSocket settle(KernelSocket socket) {
    return socket.withState(socket.settledState());
  }

  /** Reads the outcome off the applied steps. */
  private static final class OutcomeBuilder {
    private final SocketSnapshot snapshot;
    private final TeardownCall call;
    private final List<Syscall> syscalls;
    private final List<KernelLayer.Step> now;
    private final List<KernelLayer.Step> atDeregistration;
    /** The socket when the call's last syscall returned. */
    private final KernelSocket atReturn;
    /** The socket once the network has delivered what was in flight: what the suite observes. */
    private final KernelSocket end;
    private final List<String> derivation;
    private final List<WireSegment> wireNow;
    private final List<WireSegment> wireLater;
    private final List<WireSegment> allWire;
    private final boolean peerFinRaces;

    OutcomeBuilder(SocketSnapshot snapshot, TeardownCall call, List<Syscall> syscalls,
        List<KernelLayer.Step> now, List<KernelLayer.Step> atDeregistration, KernelSocket atReturn,
        List<String> derivation, boolean peerFinRaces) {
      this.peerFinRaces = peerFinRaces;
      this.snapshot = snapshot;
      this.call = call;
      this.syscalls = syscalls;
      this.now = now;
      this.atDeregistration = atDeregistration;
      this.atReturn = atReturn;
      this.end = settle(atReturn.drained());
      this.derivation = derivation;
      this.wireNow = segments(now);
      this.wireLater = segments(atDeregistration);
      this.allWire = new ArrayList<>(wireNow);
      this.allWire.addAll(wireLater);
    }

    Outcome build() {
      List<KernelLayer.Step> steps = allSteps();
      // Loops, not streams: each stream lambda costs a LambdaMetafactory spin on the first close.
      long discardedReceive = 0;
      long discardedSend = 0;
      int childrenReset = 0;
      for (KernelLayer.Step step : steps) {
        discardedReceive += step.effect().discardedReceive();
        discardedSend += step.effect().discardedSend();
        childrenReset += step.effect().childrenReset();
      }
      int blocks = blocksUpTo(steps);
      boolean connectionReset = allWire.contains(WireSegment.RST) && !snapshot.api().isListener();
      List<WireSegment> onLaterPeerData = KernelLayer.onLaterPeerData(end, connectionReset);
      PeerView peer = peerView(discardedSend, onLaterPeerData);
      List<Finding> findings = new FindingRules(snapshot, call, steps, end, onLaterPeerData,
          discardedSend).findings();
      return new Outcome(syscalls, wireNow, wireLater, end.state(), timeWait(), discardedReceive,
          discardedSend, childrenReset, peer, onLaterPeerData, counters(steps), blocks,
          conditions(onLaterPeerData, blocks), findings, derivation);
    }

    private List<KernelLayer.Step> allSteps() {
      List<KernelLayer.Step> steps = new ArrayList<>(now);
      steps.addAll(atDeregistration);
      return steps;
    }

    private static List<WireSegment> segments(List<KernelLayer.Step> steps) {
      List<WireSegment> segments = new ArrayList<>();
      for (KernelLayer.Step step : steps) {
        segments.addAll(step.effect().segments());
      }
      return segments;
    }

    private static Map<String, Long> counters(List<KernelLayer.Step> steps) {
      Map<String, Long> counters = new LinkedHashMap<>();
      for (KernelLayer.Step step : steps) {
        Effect.addCounters(counters, step.effect().counters());
      }
      return counters;
    }

    /**
     * A wait the peer can end at once on loopback is no wait: only a FIN still queued behind data
     * the peer's window holds back, or behind bytes still in flight on a link, counts. On a link
     * it is an upper bound: sk_stream_wait_close() returns once the FIN is acknowledged, which
     * takes as long as the link needs for what is ahead of it.
     */
    private int blocksUpTo(List<KernelLayer.Step> steps) {
      int linger = 0;
      for (KernelLayer.Step step : steps) {
        linger = Math.max(linger, step.effect().blocksUpToSeconds());
      }
      return linger > 0 && atReturn.finOutstanding() ? linger : 0;
    }

    private boolean ourFinBefore() {
      return snapshot.outputShut() || OUR_FIN_SENT.contains(snapshot.state());
    }

    /** This call puts our FIN on the wire before any RST of its own. */
    private boolean sendsFinFirst() {
      int fin = allWire.indexOf(WireSegment.FIN);
      int rst = allWire.indexOf(WireSegment.RST);
      return fin >= 0 && (rst < 0 || fin < rst);
    }

    /** Our FIN is sent, or queued behind data and sent once the peer reads. */
    private boolean finSentOrQueued() {
      if (allWire.contains(WireSegment.FIN)) {
        return true;
      }
      for (KernelLayer.Step step : allSteps()) {
        if (step.effect().finQueued()) {
          return true;
        }
      }
      return false;
    }

    private TimeWaitHolder timeWait() {
      if (allWire.contains(WireSegment.RST) || snapshot.api().isListener()) {
        return TimeWaitHolder.NONE;
      }
      if (finSentOrQueued()) {
        return snapshot.peerOutputShut() ? TimeWaitHolder.PEER : TimeWaitHolder.LOCAL;
      }
      return switch (snapshot.state()) {
        case TIME_WAIT, FIN_WAIT1, FIN_WAIT2 -> TimeWaitHolder.LOCAL;
        case LAST_ACK -> TimeWaitHolder.PEER;
        case SYN_SENT -> end.state() == TcpState.CLOSE ? TimeWaitHolder.NONE : null;
        default -> null;
      };
    }

    private PeerView peerView(long discardedSend, List<WireSegment> onLaterPeerData) {
      if (snapshot.api().isListener()) {
        return new PeerView(PeerRead.RESET, PeerWrite.FAILS, 0);
      }
      int rst = allWire.indexOf(WireSegment.RST);
      // A FIN still queued behind data reaches the peer only if no RST overtakes it.
      boolean finFirst = ourFinBefore() || sendsFinFirst()
          || (rst < 0 && finSentOrQueued());
      PeerRead read;
      if (rst >= 0) {
        // A peer that already took our FIN is in CLOSE_WAIT: tcp_reset() records EPIPE, and
        // tcp_recvmsg() returns 0 because SOCK_DONE is set, so its reads see EOF, not a reset.
        read = finFirst ? PeerRead.EOF : PeerRead.RESET;
      } else {
        read = finFirst ? PeerRead.EOF : PeerRead.UNCHANGED;
      }
      PeerWrite write;
      if (snapshot.peerOutputShut()) {
        write = PeerWrite.PEER_OUTPUT_SHUT;
      } else if (rst >= 0) {
        write = PeerWrite.FAILS;
      } else if (onLaterPeerData.contains(WireSegment.RST)) {
        write = PeerWrite.RESET_THEN_FAILS;
      } else {
        write = PeerWrite.ACCEPTED;
      }
      return new PeerView(read, write, discardedSend);
    }

    private List<Condition> conditions(List<WireSegment> onLaterPeerData, int blocks) {
      List<Condition> conditions = new ArrayList<>();
      if (!atDeregistration.isEmpty()) {
        conditions.add(Condition.SELECTOR_SELECTS);
      }
      if (onLaterPeerData.contains(WireSegment.RST) && !snapshot.peerOutputShut()) {
        conditions.add(Condition.PEER_SENDS_DATA);
      }
      if (finSentOrQueued() && !allWire.contains(WireSegment.RST) && !snapshot.peerOutputShut()) {
        conditions.add(Condition.SIMULTANEOUS_CLOSE);
      }
      if (peerFinRaces) {
        conditions.add(Condition.PEER_FIN_BEFORE_CLOSE);
      }
      if (snapshot.peerOutputShut() && snapshot.inFlightBytes() > 0 && sendsFinFirst()) {
        conditions.add(Condition.PEER_RESET_BEFORE_FIN);
      }
      if (end.finOutstanding() && end.unsent() > 0) {
        conditions.add(Condition.PEER_READS_QUEUED_DATA);
      }
      if (blocks > 0) {
        conditions.add(Condition.PEER_DOES_NOT_ACKNOWLEDGE);
      }
      if (resetBehindBytesInFlight()) {
        conditions.add(Condition.PEER_ACKS_BYTES_IN_FLIGHT);
      }
      return conditions;
    }

    /**
     * Our RST goes out while bytes we sent are on their way: tcp_send_active_reset() transmits it
     * at once, but behind what the qdisc holds, and tcp_write_queue_purge() cannot recall what is
     * already there (the peer's window held none of it back: {@code inFlightBytes}).
     */
    private boolean resetBehindBytesInFlight() {
      return snapshot.inFlightBytes() > 0 && allWire.contains(WireSegment.RST) && !snapshot.api().isListener();
    }
  }
}
