package io.teardownguard.model.semantics;

import io.teardownguard.model.WireSegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one syscall does in the kernel: the row's right-hand side.
 *
 * @param after the socket afterwards
 * @param segments segments sent, in order
 * @param counters MIB counters incremented ("TcpExt.TCPAbortOnClose", "Tcp.OutRsts")
 * @param discardedReceive receive-queue bytes thrown away
 * @param discardedSend write-queue bytes thrown away
 * @param childrenReset queued connections of a listener reset
 * @param blocksUpToSeconds how long the call may wait (SO_LINGER)
 * @param finQueued our FIN was queued behind unsent data: it leaves once the peer reads
 */
record Effect(
    KernelSocket after,
    List<WireSegment> segments,
    Map<String, Long> counters,
    long discardedReceive,
    long discardedSend,
    int childrenReset,
    int blocksUpToSeconds,
    boolean finQueued) {

  static final String ABORT_ON_CLOSE = "TcpExt.TCPAbortOnClose";
  static final String ABORT_ON_DATA = "TcpExt.TCPAbortOnData";
  static final String OUT_RSTS = "Tcp.OutRsts";

  /** Nothing on the wire; the socket becomes {@code after}. */
  static Effect to(KernelSocket after) {
    return new Effect(after, List.of(), Map.of(), 0, 0, 0, 0, false);
  }

  Effect send(WireSegment segment) {
    List<WireSegment> more = new ArrayList<>(segments);
    more.add(segment);
    Effect sent = new Effect(after, more, counters, discardedReceive, discardedSend, childrenReset,
        blocksUpToSeconds, finQueued);
    // Every RST the kernel sends is counted in Tcp OutRsts (tcp_send_active_reset, tcp_v4_send_reset).
    return segment == WireSegment.RST ? sent.count(OUT_RSTS, 1) : sent;
  }

  /**
   * Queues our FIN. tcp_send_fin() appends it to the last unsent skb when there is one, so it
   * goes on the wire now only if nothing is waiting for the peer's window.
   */
  Effect finAfter(long unsentBytes) {
    if (unsentBytes == 0) {
      return send(WireSegment.FIN);
    }
    return new Effect(after, segments, counters, discardedReceive, discardedSend, childrenReset,
        blocksUpToSeconds, true);
  }

  Effect count(String counter, long by) {
    Map<String, Long> more = new LinkedHashMap<>(counters);
    add(more, counter, by);
    return new Effect(after, segments, Collections.unmodifiableMap(more), discardedReceive,
        discardedSend, childrenReset, blocksUpToSeconds, finQueued);
  }

  /** Adds {@code more} to {@code counters}, counter by counter. */
  static void addCounters(Map<String, Long> counters, Map<String, Long> more) {
    for (Map.Entry<String, Long> counter : more.entrySet()) {
      add(counters, counter.getKey(), counter.getValue());
    }
  }

  /** A loop and a get, not merge(Long::sum): a lambda costs a LambdaMetafactory spin on its first use. */
  private static void add(Map<String, Long> counters, String counter, long by) {
    Long before = counters.get(counter);
    counters.put(counter, before == null ? by : before + by);
  }

  Effect discard(long receive, long send) {
    return new Effect(after, segments, counters, receive, send, childrenReset, blocksUpToSeconds,
        finQueued);
  }

  Effect resetChildren(int children) {
    Effect reset = new Effect(after, segments, counters, discardedReceive, discardedSend, children,
        blocksUpToSeconds, finQueued);
    for (int i = 0; i < children; i++) {
      reset = reset.send(WireSegment.RST);
    }
    return reset;
  }

  Effect blockUpTo(int seconds) {
    return new Effect(after, segments, counters, discardedReceive, discardedSend, childrenReset,
        seconds, finQueued);
  }
}
