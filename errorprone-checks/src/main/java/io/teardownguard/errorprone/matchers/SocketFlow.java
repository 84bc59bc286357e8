package io.teardownguard.errorprone.matchers;

import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.DRAIN;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.ESCAPE;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.HANDOFF;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.PARTIAL_READ;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.REBIND;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.USE;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.WRITE;

import com.google.errorprone.VisitorState;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one method body does to each connection it holds (a {@code Socket} or {@code
 * SocketChannel}, with the streams and readers built on it), as events in source order: those in
 * local variables and parameters, and those its class keeps in followed fields ({@link
 * ClassFlow}), where a call to one of the class's own methods stands for that method's events on
 * the field. Connections that leave the method are marked so that checks can stay silent about
 * them: what other code does to them is not visible here.
 */
public final class SocketFlow {

  private final Map<Symbol, List<SocketEvent>> events = new LinkedHashMap<>();
  private final Set<Symbol> fromSelectionKey = new HashSet<>();
  private final Set<Symbol> createdHere = new HashSet<>();
  private final Set<Symbol> inputGivenAway = new HashSet<>();
  /** Locals holding a connection a server socket accepted, and those holding one it dialled. */
  private final Set<Symbol> accepted = new HashSet<>();
  private final Set<Symbol> dialled = new HashSet<>();
  /** Events that stand, at a call to an own method, for what that method does. */
  private final Set<SocketEvent> composed = Collections.newSetFromMap(new IdentityHashMap<>());
  private boolean selects;

  SocketFlow() {}

  /**
   * The events of the method whose path is {@code methodPath}, with what the calls it makes to
   * its class's own methods do to the connections the class keeps in fields ({@link ClassFlow}).
   * Computed once per method for all checks: the flows of one top-level class live in the
   * compilation's context until Error Prone moves on to the next class.
   */
  public static SocketFlow of(TreePath methodPath, VisitorState state) {
    return ClassFlow.of(methodPath, state).flow(methodPath);
  }

  /**
   * What a callee does with its parameter {@code parameter}, given a connection or one of its
   * streams ({@code seed} says which): only writes and uses, or possibly more. One level deep:
   * whatever the callee hands on counts as {@link SocketEvent.Kind#HANDOFF}.
   */
  static SocketEvent.Kind calleeSummary(TreePath calleePath, VisitorState state,
      SocketFlowScanner.Seed seed) {
    SocketFlow flow = new SocketFlow();
    new SocketFlowScanner(flow, calleePath, state, seed, null, Map.of()).scanBody();
    return summarize(flow.events(seed.parameter()));
  }

  /**
   * True if {@code read}, a read of {@code connection} (accepted by a server socket) in the method
   * at {@code methodPath}, takes the whole request of every client this class itself dials: the
   * class holds both ends of the exchange, and its clients send nothing beyond what the server
   * has then read ({@link OwnPeer}).
   */
  public static boolean readsOwnClientsRequest(TreePath methodPath, VisitorState state,
      Symbol connection, SocketEvent read) {
    ClassFlow classFlow = ClassFlow.of(methodPath, state);
    SocketFlow flow = classFlow.flow(methodPath);
    // the class's clients are worked out only for a server's read: the rare case
    return flow.accepted(connection)
        && classFlow.ownPeer().requestReadThrough(flow, connection, read, methodPath);
  }

  /**
   * True if a method of the class other than the one at {@code methodPath} reads the followed
   * field {@code connection} in a way that may reach end of stream: a reader, typically on a
   * thread of its own, that ends when the input does.
   */
  public static boolean readToEndElsewhere(TreePath methodPath, VisitorState state,
      Symbol connection) {
    return ClassFlow.isField(connection)
        && ClassFlow.of(methodPath, state).readToEndElsewhere(connection, methodPath.getLeaf());
  }

  /**
   * True if {@code connection} is a field of the class (followed across its methods), not a
   * local variable or parameter of this method.
   */
  public static boolean isField(Symbol connection) {
    return ClassFlow.isField(connection);
  }

  /** The connections this method touches, in order of first event. */
  public Set<Symbol> connections() {
    return events.keySet();
  }

  /**
   * The connections whose variable holds one connection throughout the method (never assigned
   * another), so that all their events concern the same socket, in order of first event.
   */
  public List<Symbol> singleConnections() {
    return events.keySet().stream().filter(c -> !has(c, EnumSet.of(REBIND))).toList();
  }

  /** The events of {@code connection}, in source order; try-with-resources closes last. */
  public List<SocketEvent> events(Symbol connection) {
    return events.getOrDefault(connection, List.of());
  }

  /** True if the method runs a selector ({@code select}, {@code selectNow}): it must not block. */
  public boolean selects() {
    return selects;
  }

  /** True if {@code connection} came from {@code SelectionKey.channel()}. */
  public boolean fromSelectionKey(Symbol connection) {
    return fromSelectionKey.contains(connection);
  }

  /** True if {@code connection} is a local variable made here: {@code new Socket(...)}, open(). */
  public boolean createdHere(Symbol connection) {
    return createdHere.contains(connection);
  }

  /** True if the connection escapes the method or is rebound: nothing can be said about it. */
  public boolean untracked(Symbol connection) {
    return has(connection, EnumSet.of(ESCAPE, REBIND));
  }

  /** True if any event of {@code connection} is of one of {@code kinds}. */
  public boolean has(Symbol connection, Set<SocketEvent.Kind> kinds) {
    return events(connection).stream().anyMatch(e -> kinds.contains(e.kind()));
  }

  /** True if an event of one of {@code kinds} comes before {@code event} in source order. */
  public boolean anyBefore(Symbol connection, SocketEvent event, Set<SocketEvent.Kind> kinds) {
    for (SocketEvent e : events(connection)) {
      if (e == event) {
        return false;
      }
      if (kinds.contains(e.kind())) {
        return true;
      }
    }
    return false;
  }

  /** The first event of kind {@code to} that may run after one of kind {@code from}, or null. */
  @Nullable
  public Reached firstReached(Symbol connection, Set<SocketEvent.Kind> from,
      Set<SocketEvent.Kind> to) {
    return firstReached(connection, from, to, true);
  }

  /**
   * Like {@link #firstReached(Symbol, Set, Set)}, but the earlier event is one this method does
   * itself: a close inside a called own method often sits on that method's failure path only
   * ({@code if (!setUp()) continue;}), which the call, standing for all of it, cannot tell.
   */
  @Nullable
  public Reached firstReachedFromOwnEvent(Symbol connection, Set<SocketEvent.Kind> from,
      Set<SocketEvent.Kind> to) {
    return firstReached(connection, from, to, false);
  }

  @Nullable
  private Reached firstReached(Symbol connection, Set<SocketEvent.Kind> from,
      Set<SocketEvent.Kind> to, boolean composedEarlier) {
    for (SocketEvent later : events(connection)) {
      if (!to.contains(later.kind())) {
        continue;
      }
      for (SocketEvent earlier : events(connection)) {
        if (earlier != later && from.contains(earlier.kind())
            && (composedEarlier || !composed(earlier))
            && Reachability.reaches(earlier, later)) {
          return new Reached(earlier, later);
        }
      }
    }
    return null;
  }

  /**
   * True if {@code event} runs only where a read of {@code connection} in this method found end
   * of stream: in the arm of an {@code if} its end-of-stream test selects ({@code if (n == -1) {
   * close(ch); }}). The peer has then sent everything it will; nothing is left unread there.
   */
  public boolean onlyAtEndOfStream(Symbol connection, SocketEvent event) {
    List<TreePath> reads = events(connection).stream()
        .filter(e -> (e.kind() == PARTIAL_READ || e.kind() == DRAIN) && !composed(e))
        .map(SocketEvent::path).toList();
    return ReadKind.onlyAtEndOfStream(event.path(), reads);
  }

  /**
   * Two events, the second reachable from the first.
   *
   * @param earlier the event that sets the hazard up
   * @param later the event the hazard strikes at
   */
  public record Reached(SocketEvent earlier, SocketEvent later) {}

  /**
   * A callee that only writes, uses, or reads a record and stops (a helper that reads the reply
   * line through its own wrapper) is summed up as that; anything else (a drain, a close, a
   * further hand-off) as a hand-off, which keeps the checks silent.
   */
  private static SocketEvent.Kind summarize(List<SocketEvent> calleeEvents) {
    Set<SocketEvent.Kind> seen = EnumSet.of(WRITE, USE, PARTIAL_READ);
    if (!calleeEvents.stream().allMatch(e -> seen.contains(e.kind()))) {
      return HANDOFF;
    }
    for (SocketEvent.Kind kind : List.of(PARTIAL_READ, WRITE)) {
      if (calleeEvents.stream().anyMatch(e -> e.kind() == kind)) {
        return kind;
      }
    }
    return USE;
  }

  void add(Symbol connection, SocketEvent.Kind kind, TreePath path, @Nullable TryTree endOf,
      @Nullable Integer linger) {
    events.computeIfAbsent(connection, c -> new ArrayList<>())
        .add(new SocketEvent(kind, path, endOf, linger));
  }

  void addCreatedHere(Symbol connection) {
    createdHere.add(connection);
  }

  /** True if {@code connection} is a local variable given a connection {@code accept()} made. */
  public boolean accepted(Symbol connection) {
    return accepted.contains(connection);
  }

  /** The local variables given a connection this method made or got, not accepted. */
  Set<Symbol> dialled() {
    return dialled;
  }

  void addAccepted(Symbol connection) {
    accepted.add(connection);
  }

  void addDialled(Symbol connection) {
    dialled.add(connection);
  }

  /**
   * True if {@code event} is what a called own method does (it sits at the call): a finding that
   * rests on it alone is that method's, reported there, not again at every caller.
   */
  public boolean composed(SocketEvent event) {
    return composed.contains(event);
  }

  void addComposed(Symbol connection, SocketEvent event, TreePath callPath) {
    SocketEvent atCall = new SocketEvent(event.kind(), callPath, null, event.lingerSeconds());
    events.computeIfAbsent(connection, c -> new ArrayList<>()).add(atCall);
    composed.add(atCall);
  }

  /** True if a stream or reader of {@code connection}'s input went to code we cannot read. */
  boolean inputGivenAway(Symbol connection) {
    return inputGivenAway.contains(connection);
  }

  void addInputGivenAway(Symbol connection) {
    inputGivenAway.add(connection);
  }

  void addFromSelectionKey(Symbol connection) {
    fromSelectionKey.add(connection);
  }

  void setSelects() {
    selects = true;
  }
}
