package io.teardownguard.errorprone.matchers;

import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.DRAIN;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.ESCAPE;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.util.Context;
import io.teardownguard.errorprone.matchers.SocketFlowScanner.Origin;
import io.teardownguard.errorprone.matchers.SocketFlowScanner.Side;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * The connections one top-level class keeps in fields, and every method's {@link SocketFlow}
 * with them, computed once per class for all checks.
 *
 * <p>A field is followed when its writes are this class's (it is final or not public) and no
 * method of the class (nested and anonymous classes and lambdas included) hands it out: returns
 * it, stores it elsewhere, or passes its input to code the checks cannot see. Streams and
 * readers built on it and kept in fields ({@code in = new BufferedReader(new
 * InputStreamReader(socket.getInputStream()))} in the constructor) are followed with it. Each
 * method's flow then holds, at each call the class makes to its own methods ({@code close()},
 * {@code readHead()}), the events of that method on the field, so that a read in one method and
 * the close in another meet in their caller.
 */
public final class ClassFlow {

  /** A chain of calls to own methods deeper than this is not followed (no event, no finding). */
  private static final int MAX_CALL_DEPTH = 8;

  /** The last class's flows, in the compilation's context. */
  private static final class LastClass {
    @Nullable private ClassFlow flow;
  }

  private static final Context.Key<LastClass> LAST_CLASS = new Context.Key<>();

  private final Tree topLevel;
  private final VisitorState state;
  /** Followed connection fields (as connections) and the stream fields built on them. */
  private final Map<Symbol, Origin> fields = new LinkedHashMap<>();
  private final Map<Symbol, TreePath> methods = new HashMap<>();
  private final Map<MethodTree, SocketFlow> flows = new IdentityHashMap<>();
  private final Set<Tree> inProgress = new HashSet<>();
  /** The class's own clients, worked out when a check first asks. */
  @Nullable private OwnPeer ownPeer;

  private ClassFlow(TreePath topLevelPath, VisitorState state) {
    this.topLevel = topLevelPath.getLeaf();
    this.state = state;
  }

  /**
   * The class flow of the top-level class around {@code path}. Error Prone runs all checks on
   * one class before it moves on, so the flows live in the compilation's context, for the last
   * class only.
   */
  static ClassFlow of(TreePath path, VisitorState state) {
    TreePath topLevelPath = path;
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree) {
        topLevelPath = p;
      }
    }
    LastClass last = state.context.get(LAST_CLASS);
    if (last == null) {
      last = new LastClass();
      state.context.put(LAST_CLASS, last);
    }
    if (last.flow == null || last.flow.topLevel != topLevelPath.getLeaf()) {
      last.flow = null; // a failed analysis must not leave a half-built flow behind
      ClassFlow flow = new ClassFlow(topLevelPath, state);
      flow.analyse(topLevelPath);
      last.flow = flow;
    }
    return last.flow;
  }

  /** The flow of {@code methodPath}'s method, with its calls to own methods composed. */
  SocketFlow flow(TreePath methodPath) {
    MethodTree method = (MethodTree) methodPath.getLeaf();
    SocketFlow flow = flows.get(method);
    if (flow == null) {
      flow = new SocketFlow();
      inProgress.add(method);
      try {
        new SocketFlowScanner(flow, methodPath, state, null, this, fields).scanBody();
      } finally {
        inProgress.remove(method);
      }
      flows.put(method, flow);
    }
    return flow;
  }

  /**
   * The flow of the own method {@code callee}, for composition at a call: null when it is not a
   * method of this class, or when following it would recurse or go deeper than
   * {@link #MAX_CALL_DEPTH}.
   */
  @Nullable
  SocketFlow calleeFlow(Symbol.MethodSymbol callee) {
    if (fields.isEmpty()) {
      return null;
    }
    TreePath path = methods.get(callee);
    if (path == null || inProgress.contains(path.getLeaf())
        || inProgress.size() > MAX_CALL_DEPTH) {
      return null;
    }
    return flow(path);
  }

  /**
   * What the connections this class dials send, for a server method of the same class that
   * reads their requests ({@link OwnPeer}); worked out once, on the first question.
   */
  OwnPeer ownPeer() {
    if (ownPeer == null) {
      ownPeer = OwnPeer.of(methods.values().stream().map(this::flow).toList());
    }
    return ownPeer;
  }

  /**
   * True if a method of the class other than {@code except} reads the followed field {@code
   * connection} in a way that may reach end of stream (its own read, not a call it makes).
   */
  boolean readToEndElsewhere(Symbol connection, Tree except) {
    for (TreePath method : methods.values()) {
      if (method.getLeaf() == except || inProgress.contains(method.getLeaf())) {
        continue;
      }
      SocketFlow flow = flow(method);
      if (flow.events(connection).stream().anyMatch(e -> e.kind() == DRAIN && !flow.composed(e))) {
        return true;
      }
    }
    return false;
  }

  private void analyse(TreePath topLevelPath) {
    Set<Symbol> connectionFields = new HashSet<>();
    Set<Symbol> streamFields = new HashSet<>();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethod(MethodTree method, Void unused) {
        if (method.getBody() != null) {
          methods.put(ASTHelpers.getSymbol(method), getCurrentPath());
        }
        return super.visitMethod(method, null);
      }

      @Override
      public Void visitVariable(VariableTree variable, Void unused) {
        Symbol symbol = ASTHelpers.getSymbol(variable);
        if (symbol != null && symbol.getKind() == ElementKind.FIELD && writtenHere(symbol)) {
          if (SocketFlowScanner.isConnection(symbol.type, state)
              && !SocketFlowScanner.isUnixDomain(variable.getInitializer())) {
            connectionFields.add(symbol);
          } else if (SocketFlowScanner.sideOfType(symbol.type, state) != null) {
            streamFields.add(symbol);
          }
        }
        return super.visitVariable(variable, null);
      }
    }.scan(topLevelPath, null);
    if (connectionFields.isEmpty()) {
      return; // the common case: nothing to follow, no extra scan
    }
    Map<Symbol, Origin> candidates = new LinkedHashMap<>();
    connectionFields.forEach(f -> candidates.put(f, new Origin(f, Side.CONNECTION)));
    // 1. Which stream fields are built on which connection field.
    Map<Symbol, Origin> bindings = new HashMap<>();
    Set<Symbol> conflicting = new HashSet<>();
    for (TreePath method : methods.values()) {
      SocketFlowScanner binder = new SocketFlowScanner(new SocketFlow(), method, state, null,
          null, candidates);
      binder.bindStreamFields(streamFields, (field, origin) -> {
        Origin previous = bindings.putIfAbsent(field, origin);
        if (previous != null && !previous.equals(origin)) {
          conflicting.add(field);
        }
      });
    }
    conflicting.forEach(bindings::remove);
    candidates.putAll(bindings);
    // 2. Which connection fields are handed out somewhere: those are not followed. The
    // connection itself given to a helper (Util.connect(sock, ...), configure(sock)) is not:
    // where that matters, the hand-off is in the flow that composes it and silences the checks.
    Set<Symbol> handedOut = new HashSet<>();
    for (TreePath method : methods.values()) {
      SocketFlow flow = new SocketFlow();
      new SocketFlowScanner(flow, method, state, null, null, candidates).scanBody();
      for (Symbol connection : flow.connections()) {
        if (connectionFields.contains(connection)
            && (flow.has(connection, EnumSet.of(ESCAPE)) || flow.inputGivenAway(connection))) {
          handedOut.add(connection);
        }
      }
    }
    candidates.forEach((field, origin) -> {
      if (!handedOut.contains(origin.connection())) {
        fields.put(field, origin);
      }
    });
  }

  /**
   * True for a field that code outside the class is not expected to write: final, or not public.
   * A protected or package-private field ({@code protected Socket socket;} is the common shape
   * of transports and connection classes) could be assigned by a subclass or a neighbour, but
   * what this class's own methods do to whatever connection it holds stays what they do.
   */
  private static boolean writtenHere(Symbol field) {
    return (field.flags() & Flags.FINAL) != 0 || (field.flags() & Flags.PUBLIC) == 0;
  }

  /** True if {@code symbol} is a field: its events come from every method of the class. */
  static boolean isField(Symbol symbol) {
    return symbol.getKind() == ElementKind.FIELD;
  }

  /** Calls back with each stream field bound to a connection field. */
  interface Binding {
    void bind(Symbol streamField, Origin origin);
  }
}
