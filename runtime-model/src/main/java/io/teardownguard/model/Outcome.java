package io.teardownguard.model;

import java.util.List;
import java.util.Map;

/**
 * What one teardown call does, as the model predicts it.
 *
 * @param syscalls what the JDK issues, in order
 * @param wire the teardown segments this endpoint sends during the call, in order
 * @param wireAtDeregistration segments sent later, when a Selector releases the channel
 * @param stateAfter the connection's state on this side once the peer's kernel has answered
 *     (CLOSE when nothing is left)
 * @param timeWait who will hold TIME_WAIT, or {@code null} when this call does not decide it
 * @param discardedReceiveBytes received bytes the application never reads
 * @param discardedSendBytes written bytes the peer never receives
 * @param pendingConnectionsReset for a listener, queued connections reset
 * @param peer what the peer's program observes
 * @param onLaterPeerData what this endpoint sends if the peer sends data after the call
 * @param counterDeltas kernel MIB counters the call changes ("TcpExt.TCPAbortOnClose", "Tcp.OutRsts")
 * @param blocksUpToSeconds how long close() may block (SO_LINGER); 0 when it returns at once
 * @param conditions outcomes that depend on timing or on what the peer does next
 * @param findings hazards, most severe first
 * @param derivation the JDK and kernel rows that produced this outcome, in order
 */
public record Outcome(
    List<Syscall> syscalls,
    List<WireSegment> wire,
    List<WireSegment> wireAtDeregistration,
    TcpState stateAfter,
    TimeWaitHolder timeWait,
    long discardedReceiveBytes,
    long discardedSendBytes,
    int pendingConnectionsReset,
    PeerView peer,
    List<WireSegment> onLaterPeerData,
    Map<String, Long> counterDeltas,
    int blocksUpToSeconds,
    List<Condition> conditions,
    List<Finding> findings,
    List<String> derivation) {

  public Outcome {
    syscalls = List.copyOf(syscalls);
    wire = List.copyOf(wire);
    wireAtDeregistration = List.copyOf(wireAtDeregistration);
    onLaterPeerData = List.copyOf(onLaterPeerData);
    counterDeltas = Map.copyOf(counterDeltas);
    conditions = List.copyOf(conditions);
    findings = List.copyOf(findings);
    derivation = List.copyOf(derivation);
  }

  /**
   * This call followed by {@code next} as one teardown: the calls a library makes on a socket
   * inside one of its own (SSLSocket.close() does shutdownOutput, shutdownInput, close). Each part
   * was predicted on the socket as it was when that part ran, so wire, syscalls, discarded bytes
   * and counters add up, and the end (state, TIME_WAIT, what the peer sees and sends later) is
   * {@code next}'s, unless {@code next} does not decide TIME_WAIT. Findings are both parts'.
   */
  public Outcome followedBy(Outcome next) {
    var counters = new java.util.LinkedHashMap<>(counterDeltas);
    next.counterDeltas.forEach((k, v) -> counters.merge(k, v, Long::sum));
    var conditionsBoth = new java.util.LinkedHashSet<>(conditions);
    conditionsBoth.addAll(next.conditions);
    return new Outcome(concat(syscalls, next.syscalls), concat(wire, next.wire),
        concat(wireAtDeregistration, next.wireAtDeregistration), next.stateAfter,
        next.timeWait != null ? next.timeWait : timeWait,
        discardedReceiveBytes + next.discardedReceiveBytes, discardedSendBytes + next.discardedSendBytes,
        pendingConnectionsReset + next.pendingConnectionsReset, next.peer, next.onLaterPeerData, counters,
        Math.max(blocksUpToSeconds, next.blocksUpToSeconds), List.copyOf(conditionsBoth),
        concat(findings, next.findings), concat(derivation, next.derivation));
  }

  /** The same outcome with other findings. */
  public Outcome withFindings(List<Finding> newFindings) {
    return new Outcome(syscalls, wire, wireAtDeregistration, stateAfter, timeWait, discardedReceiveBytes,
        discardedSendBytes, pendingConnectionsReset, peer, onLaterPeerData, counterDeltas, blocksUpToSeconds,
        conditions, newFindings, derivation);
  }

  private static <T> List<T> concat(List<T> first, List<T> second) {
    if (second.isEmpty()) {
      return first;
    }
    var both = new java.util.ArrayList<>(first);
    both.addAll(second);
    return both;
  }

  /** Every segment the call causes, now and at deregistration. */
  public List<WireSegment> allWire() {
    if (wireAtDeregistration.isEmpty()) {
      return wire;
    }
    var all = new java.util.ArrayList<>(wire);
    all.addAll(wireAtDeregistration);
    return List.copyOf(all);
  }
}
