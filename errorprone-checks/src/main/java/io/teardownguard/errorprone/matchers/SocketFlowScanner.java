package io.teardownguard.errorprone.matchers;

import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.CLOSE;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.DRAIN;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.ESCAPE;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.HANDOFF;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.NON_BLOCKING;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.PARTIAL_READ;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.REBIND;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.REGISTER;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SET_LINGER;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SHUTDOWN_INPUT;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SHUTDOWN_OUTPUT;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.STREAM_CLOSE;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.USE;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.WRITE;

import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.api.JavacTrees;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Walks one method body and records its {@link SocketFlow} events. */
final class SocketFlowScanner extends TreePathScanner<Void, Void> {

  /** Which side of a connection an expression stands for. */
  enum Side { CONNECTION, INPUT, OUTPUT }

  /**
   * A connection, or a stream, reader or writer built on it.
   *
   * @param connection the variable or field that holds the connection
   * @param side which side of it the expression stands for
   */
  record Origin(Symbol connection, Side side) {}

  /** Callees that only print or check a connection: handing it to them hands nothing off. */
  private static final Set<String> INERT_OWNERS = Set.of("java.lang.String",
      "java.lang.StringBuilder", "java.util.Objects", "java.io.PrintStream");

  // Types looked up once per compilation (Suppliers memoizes them in javac's context).
  private static final Supplier<Type> SOCKET = Suppliers.typeFromString(SocketMatchers.SOCKET);
  private static final Supplier<Type> SOCKET_CHANNEL =
      Suppliers.typeFromString(SocketMatchers.SOCKET_CHANNEL);
  private static final Supplier<Type> INPUT_STREAM =
      Suppliers.typeFromString("java.io.InputStream");
  private static final Supplier<Type> READER = Suppliers.typeFromString("java.io.Reader");
  private static final Supplier<Type> DATA_INPUT = Suppliers.typeFromString("java.io.DataInput");
  private static final Supplier<Type> SCANNER = Suppliers.typeFromString("java.util.Scanner");
  private static final Supplier<Type> OUTPUT_STREAM =
      Suppliers.typeFromString("java.io.OutputStream");
  private static final Supplier<Type> WRITER = Suppliers.typeFromString("java.io.Writer");

  private final SocketFlow flow;
  private final TreePath methodPath;
  private final MethodTree method;
  private final VisitorState state;
  /** Set when this scan summarizes a callee: the parameter it follows, nothing else. */
  @Nullable private final Seed seed;
  private final Map<Symbol, Origin> origins = new HashMap<>();
  private final Map<Symbol, Symbol> channelOfKey = new HashMap<>();
  /** Locals declared without a connection (or with null): their first assignment binds them. */
  private final Set<Symbol> unbound = new HashSet<>();
  /** The class's followed fields, for calls to its own methods; null in a callee summary. */
  @Nullable private final ClassFlow classFlow;
  /** While binding: stream fields that may be built on a connection field, and what they got. */
  private Set<Symbol> streamFields = Set.of();
  private final Map<Symbol, Origin> streamFieldValues = new HashMap<>();
  /** Locals or parameters stored into a connection field ({@code this.socket = socket}). */
  private final Map<Symbol, Symbol> fieldOfLocal = new HashMap<>();
  /** Lengths read from a connection and the arrays they size: reads of a whole reply. */
  private final ReplyReads replyReads = new ReplyReads();

  /**
   * A callee's parameter, and which side of a connection the caller passed for it.
   *
   * @param parameter the callee's parameter
   * @param side what the caller passed: the connection, its input, or its output
   */
  record Seed(Symbol parameter, Side side) {}

  SocketFlowScanner(SocketFlow flow, TreePath methodPath, VisitorState state,
      @Nullable Seed seed, @Nullable ClassFlow classFlow, Map<Symbol, Origin> fields) {
    this.flow = flow;
    this.methodPath = methodPath;
    this.method = (MethodTree) methodPath.getLeaf();
    this.state = state;
    this.seed = seed;
    this.classFlow = classFlow;
    origins.putAll(fields);
    if (seed != null) {
      origins.put(seed.parameter(), new Origin(seed.parameter(), seed.side()));
      return;
    }
    for (VariableTree parameter : method.getParameters()) {
      Symbol symbol = ASTHelpers.getSymbol(parameter);
      if (isConnection(symbol.type, state)) {
        origins.put(symbol, new Origin(symbol, Side.CONNECTION));
      }
    }
  }

  void scanBody() {
    if (method.getBody() != null) {
      scan(new TreePath(methodPath, method.getBody()), null);
    }
  }

  /**
   * Scans the body only to learn which of {@code candidates} (stream fields) it builds on a
   * connection field, directly or through a parameter it also stores in that field.
   */
  void bindStreamFields(Set<Symbol> candidates, ClassFlow.Binding binding) {
    streamFields = candidates;
    scanBody();
    streamFieldValues.forEach((field, origin) -> {
      Symbol connection = fieldOfLocal.getOrDefault(origin.connection(), origin.connection());
      if (ClassFlow.isField(connection)) {
        binding.bind(field, new Origin(connection, origin.side()));
      }
    });
  }

  @Override
  public Void visitVariable(VariableTree variable, Void unused) {
    Symbol symbol = ASTHelpers.getSymbol(variable);
    ExpressionTree initializer = strip(variable.getInitializer());
    Origin derived = initializer == null ? null : origin(initializer);
    if (isConnection(symbol.type, state) && !isUnixDomain(initializer)) {
      if (initializer instanceof MethodInvocationTree call
          && SocketMatchers.SELECTION_KEY_CHANNEL.matches(call, state)
          && ASTHelpers.getReceiver(call) instanceof IdentifierTree key) {
        channelOfKey.put(ASTHelpers.getSymbol(key), symbol);
        flow.addFromSelectionKey(symbol);
      }
      if (initializer instanceof NewClassTree || (initializer instanceof MethodInvocationTree open
          && ASTHelpers.getSymbol(open).isStatic()
          && ASTHelpers.getSymbol(open).getSimpleName().contentEquals("open"))) {
        flow.addCreatedHere(symbol); // new Socket(...), SocketChannel.open(...)
      }
      if (initializer != null && !isNullLiteral(initializer)) {
        if (SocketMatchers.ACCEPT.matches(initializer, state)) {
          flow.addAccepted(symbol); // (SSLSocket) serverSocket.accept()
        } else {
          flow.addDialled(symbol); // new Socket(...), factory.createSocket(), connectTo(peer)
        }
      }
      boolean alias = derived != null && derived.side() == Side.CONNECTION;
      origins.put(symbol, alias ? derived : new Origin(symbol, Side.CONNECTION));
      if (initializer == null || isNullLiteral(initializer)) {
        unbound.add(symbol);
      }
    } else if (derived != null) {
      origins.put(symbol, derived);
    } else if (initializer != null) {
      noteValue(symbol, initializer);
    }
    return super.visitVariable(variable, null);
  }

  @Override
  public Void visitAssignment(AssignmentTree assignment, Void unused) {
    Symbol target = ASTHelpers.getSymbol(assignment.getVariable());
    Origin previous = target == null ? null : origins.get(target);
    if (target != null && previous == null) {
      noteValue(target, assignment.getExpression());
    }
    if (target != null && streamFields.contains(target)) {
      Origin value = origin(assignment.getExpression());
      if (value != null) {
        streamFieldValues.put(target, value); // in = new DataInputStream(socket.getInputStream())
      }
    }
    if (previous != null && ClassFlow.isField(target)) {
      // A followed field is bound wherever this class assigns it (constructor, open(), accept
      // handling) and cleared in close(): all its writes are here, none loses track of it.
      Origin value = origin(assignment.getExpression());
      if (value != null && value.side() == Side.CONNECTION
          && !ClassFlow.isField(value.connection())) {
        fieldOfLocal.put(value.connection(), target);
      }
    } else if (previous != null) {
      Origin derived = origin(assignment.getExpression());
      if (unbound.remove(target)) {
        // "Socket s = null; ... s = accept();": the first binding, nothing to forget
      } else if (derived == null || derived.connection() != previous.connection()) {
        record(previous.connection(), REBIND, null, null);
      }
      if (derived != null && previous.side() != Side.CONNECTION) {
        origins.put(target, derived);
      }
    }
    return super.visitAssignment(assignment, null);
  }

  @Override
  public Void visitTry(TryTree tryTree, Void unused) {
    scan(tryTree.getResources(), null);
    scan(tryTree.getBlock(), null);
    for (Tree resource : tryTree.getResources()) {
      Origin closed = resource instanceof VariableTree variable
          ? origins.get(ASTHelpers.getSymbol(variable))
          : origin((ExpressionTree) resource);
      if (closed != null) {
        flow.add(closed.connection(), closed.side() == Side.CONNECTION ? CLOSE : STREAM_CLOSE,
            getCurrentPath(), tryTree, null);
      }
    }
    scan(tryTree.getCatches(), null);
    scan(tryTree.getFinallyBlock(), null);
    return null;
  }

  @Override
  public Void visitIdentifier(IdentifierTree identifier, Void unused) {
    Origin origin = origins.get(ASTHelpers.getSymbol(identifier));
    if (origin != null) {
      classifyUse(origin);
    }
    return null;
  }

  @Override
  public Void visitMemberSelect(MemberSelectTree select, Void unused) {
    Origin origin = isThis(select.getExpression()) ? origins.get(ASTHelpers.getSymbol(select))
        : null;
    if (origin != null) {
      classifyUse(origin);
      return null;
    }
    return super.visitMemberSelect(select, null);
  }

  @Override
  public Void visitNewClass(NewClassTree newClass, Void unused) {
    Origin origin = origin(newClass);
    if (origin != null) {
      classifyUse(origin);
    }
    return super.visitNewClass(newClass, null);
  }

  @Override
  public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
    if (SocketMatchers.SELECT.matches(call, state)) {
      flow.setSelects();
    }
    Origin result = origin(call);
    if (result != null) {
      classifyUse(result);
      if (SocketMatchers.GET_INPUT_STREAM.matches(call, state)
          || SocketMatchers.GET_OUTPUT_STREAM.matches(call, state)) {
        record(result.connection(), USE, null, null);
      }
    } else {
      Origin receiver = origin(ASTHelpers.getReceiver(call));
      if (receiver != null && !hidden(receiver, getCurrentPath())) {
        recordCallOn(call, receiver);
      } else if (receiver == null && classFlow != null) {
        composeOwnCall(call);
      }
    }
    return super.visitMethodInvocation(call, null);
  }

  /**
   * A call to one of the class's own methods on this object ({@code close()},
   * {@code this.readHead()}): what it does to each followed field happens here, at the call.
   */
  private void composeOwnCall(MethodInvocationTree call) {
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    if (receiver != null && !isThis(receiver)) {
      return; // another object of the same class holds another connection
    }
    MethodSymbol callee = ASTHelpers.getSymbol(call);
    SocketFlow calleeFlow = classFlow.calleeFlow(callee);
    if (calleeFlow == null || nestedClass(getCurrentPath())) {
      return;
    }
    for (Symbol connection : calleeFlow.connections()) {
      if (ClassFlow.isField(connection)) {
        for (SocketEvent event : calleeFlow.events(connection)) {
          flow.addComposed(connection, event, getCurrentPath());
        }
      }
    }
  }

  /** A call whose receiver is the connection or one of its streams. */
  private void recordCallOn(MethodInvocationTree call, Origin receiver) {
    Symbol connection = receiver.connection();
    boolean reads = receiver.side() != Side.OUTPUT;
    boolean writes = receiver.side() != Side.INPUT;
    if (SocketMatchers.SHUTDOWN_INPUT.matches(call, state)) {
      record(connection, SHUTDOWN_INPUT, null, null);
    } else if (SocketMatchers.SHUTDOWN_OUTPUT.matches(call, state)) {
      record(connection, SHUTDOWN_OUTPUT, null, null);
    } else if (SocketMatchers.ANY_CLOSE.matches(call, state)) {
      record(connection, receiver.side() == Side.CONNECTION ? CLOSE : STREAM_CLOSE, null, null);
    } else if (SocketMatchers.SET_SO_LINGER.matches(call, state)) {
      record(connection, SET_LINGER, null, Linger.ofSetSoLinger(call, state).seconds());
    } else if (SocketMatchers.SET_OPTION.matches(call, state)) {
      boolean linger = Linger.isSoLinger(call.getArguments().get(0));
      record(connection, linger ? SET_LINGER : USE, null,
          linger ? Linger.ofOption(call, state).seconds() : null);
    } else if (SocketMatchers.CONFIGURE_BLOCKING.matches(call, state)) {
      if (Boolean.FALSE.equals(ASTHelpers.constValue(call.getArguments().get(0)))) {
        record(connection, NON_BLOCKING, null, null);
      }
    } else if (SocketMatchers.REGISTER.matches(call, state)) {
      record(connection, REGISTER, null, null);
    } else if (reads && SocketMatchers.DRAINING_READ.matches(call, state)) {
      record(connection, DRAIN, null, null);
    } else if (reads && SocketMatchers.READ.matches(call, state)) {
      boolean wholeReply = flow.has(connection, EnumSet.of(WRITE))
          && replyReads.endsReply(call, connection);
      record(connection, wholeReply ? DRAIN
          : ReadKind.of(getCurrentPath(), methodPath, connection), null, null);
    } else if (writes && SocketMatchers.WRITE.matches(call, state)) {
      record(connection, WRITE, null, null);
    } else if (ASTHelpers.getSymbol(call).getSimpleName().toString().startsWith("set")) {
      record(connection, USE, null, null);
    }
  }

  /**
   * Decides what the largest expression built on a connection at this point does with it: the
   * receiver of a call, a variable's value, a test, an argument (handed off), or an escape.
   */
  private void classifyUse(Origin origin) {
    TreePath path = getCurrentPath();
    if (hidden(origin, path)) {
      if (!ClassFlow.isField(origin.connection())) {
        record(origin.connection(), ESCAPE, null, null); // captured: used who knows when
      }
      return;
    }
    TreePath up = path.getParentPath();
    while (up.getLeaf() instanceof ParenthesizedTree || up.getLeaf() instanceof TypeCastTree) {
      path = up;
      up = up.getParentPath();
    }
    Tree parent = up.getLeaf();
    if ((parent instanceof MethodInvocationTree || parent instanceof NewClassTree)
        && origin((ExpressionTree) parent) != null) {
      return; // part of a longer stream or reader, classified as a whole
    }
    if (parent instanceof MethodInvocationTree call && call.getMethodSelect() != path.getLeaf()) {
      handOff(origin, call, call.getArguments().indexOf(path.getLeaf()), up);
    } else if (parent instanceof NewClassTree) {
      record(origin.connection(), HANDOFF, null, null);
      if (origin.side() == Side.INPUT) {
        flow.addInputGivenAway(origin.connection()); // new Parser(in): it may read it any time
      }
    } else if (parent instanceof AssignmentTree assignment
        && assignment.getExpression() == path.getLeaf()) {
      Symbol target = ASTHelpers.getSymbol(assignment.getVariable());
      if (target != null && streamFields.contains(target)) {
        return; // a stream field being bound to its connection
      }
      if (target == null || !origins.containsKey(target)
          || (ClassFlow.isField(target) && !ClassFlow.isField(origin.connection()))) {
        record(origin.connection(), ESCAPE, null, null); // now also in a field, or elsewhere
      }
    } else if (!(parent instanceof MemberSelectTree || parent instanceof VariableTree
        || parent instanceof ExpressionStatementTree || parent instanceof BinaryTree
        || parent instanceof InstanceOfTree || parent instanceof UnaryTree
        || parent instanceof TryTree || parent instanceof SynchronizedTree
        || parent instanceof EnhancedForLoopTree || parent instanceof AssignmentTree)) {
      record(origin.connection(), ESCAPE, null, null); // returned, captured, stored, ...
    }
  }

  /** The connection (or one of its streams) is an argument of {@code call}. */
  private void handOff(Origin origin, MethodInvocationTree call, int index, TreePath callPath) {
    MethodSymbol callee = ASTHelpers.getSymbol(call);
    String name = callee.getSimpleName().toString().toLowerCase(Locale.ROOT);
    if ((name.startsWith("close") && !name.startsWith("closed")) || name.endsWith("close")) {
      // not readUntilClosed(in), onClosed(socket): those are no close
      // closeQuietly(socket), safeClose(in): a close through a helper
      flow.add(origin.connection(), origin.side() == Side.CONNECTION ? CLOSE : STREAM_CLOSE,
          callPath, null, null);
      return;
    }
    String owner = callee.owner.getQualifiedName().toString();
    if (INERT_OWNERS.contains(owner) || owner.endsWith("Logger") || owner.endsWith("Log")) {
      return;
    }
    SocketEvent.Kind kind = HANDOFF;
    TreePath calleePath = seed == null && index >= 0 && !callee.isVarArgs()
        ? JavacTrees.instance(state.context).getPath(callee) : null;
    if (calleePath != null && calleePath.getLeaf() instanceof MethodTree calleeTree
        && calleeTree.getBody() != null // abstract or interface: any implementation may read
        && index < calleeTree.getParameters().size()) {
      Symbol parameter = ASTHelpers.getSymbol(calleeTree.getParameters().get(index));
      kind = SocketFlow.calleeSummary(calleePath, state, new Seed(parameter, origin.side()));
      if (kind == PARTIAL_READ) {
        // a helper that reads one record: the call is that read, in this method's loops and tests
        kind = ReadKind.of(callPath, methodPath, origin.connection());
      }
    } else if (origin.side() == Side.INPUT && readsRecords(callee, index, state)) {
      // addr.readFrom(in), server.receive(sender, in, length): the callee reads a record
      kind = ReadKind.of(callPath, methodPath, origin.connection());
    }
    if (kind == HANDOFF && origin.side() == Side.OUTPUT) {
      return; // a writer we cannot see: it may write, it cannot read
    }
    if (kind == HANDOFF && origin.side() == Side.INPUT) {
      flow.addInputGivenAway(origin.connection());
    }
    flow.add(origin.connection(), kind, callPath, null, null);
  }

  /**
   * True if {@code callee}'s parameter {@code index} is declared {@code java.io.DataInput}: all
   * the callee can do with it is read counted records ({@code readFully}, {@code readInt},
   * {@code readUTF}, {@code skipBytes}), each of which stops at its count and throws
   * {@code EOFException} rather than return at the end of the stream. Handed such an input, a
   * callee whose body the checks cannot see reads part of it; it does not read it to EOF and it
   * cannot close it. A parameter declared {@code InputStream} or {@code DataInputStream} can be
   * read to EOF or closed: that stays a hand-off.
   */
  private static boolean readsRecords(MethodSymbol callee, int index, VisitorState state) {
    if (index < 0 || callee.isVarArgs() || index >= callee.getParameters().size()) {
      return false;
    }
    Type declared = callee.getParameters().get(index).type;
    return declared != null && ASTHelpers.isSameType(declared, DATA_INPUT.get(state), state);
  }

  /**
   * Tells {@link ReplyReads} what a local gets: a value read from a connection (a length), or an
   * array (sized by such a length or a constant).
   */
  private void noteValue(Symbol target, ExpressionTree value) {
    if (origins.isEmpty()) {
      return; // no connection in scope: nothing here is read from one (the common case)
    }
    ExpressionTree tree = strip(value);
    Symbol readFrom = null;
    if (tree instanceof MethodInvocationTree call && SocketMatchers.READ.matches(call, state)) {
      Origin receiver = origin(ASTHelpers.getReceiver(call));
      readFrom = receiver == null || receiver.side() == Side.OUTPUT ? null
          : receiver.connection();
    }
    if (readFrom != null || tree instanceof NewArrayTree) {
      replyReads.note(target, tree, readFrom);
    }
  }

  /** What {@code expression} stands for: a connection, one of its streams, or nothing of ours. */
  @Nullable
  private Origin origin(@Nullable ExpressionTree expression) {
    if (origins.isEmpty()) {
      return null; // no connection in scope: the common case, kept cheap
    }
    ExpressionTree tree = strip(expression);
    if (tree instanceof IdentifierTree identifier) {
      return origins.get(ASTHelpers.getSymbol(identifier));
    }
    if (tree instanceof MemberSelectTree select && isThis(select.getExpression())) {
      return origins.get(ASTHelpers.getSymbol(select)); // this.socket
    }
    if (tree instanceof MethodInvocationTree call) {
      return originOfCall(call);
    }
    if (tree instanceof NewClassTree newClass) {
      // new BufferedReader(new InputStreamReader(in)): a wrapper reads what it wraps
      Side side = sideOfType(ASTHelpers.getType(newClass), state);
      for (ExpressionTree argument : newClass.getArguments()) {
        Origin wrapped = origin(argument);
        if (side != null && wrapped != null && wrapped.side() != Side.CONNECTION) {
          return new Origin(wrapped.connection(), side);
        }
      }
    }
    return null;
  }

  @Nullable
  private Origin originOfCall(MethodInvocationTree call) {
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    if (SocketMatchers.GET_INPUT_STREAM.matches(call, state)) {
      return onConnection(origin(receiver), Side.INPUT);
    }
    if (SocketMatchers.GET_OUTPUT_STREAM.matches(call, state)) {
      return onConnection(origin(receiver), Side.OUTPUT);
    }
    if (SocketMatchers.SAME_CONNECTION.matches(call, state)) {
      return onConnection(origin(receiver), Side.CONNECTION);
    }
    if (SocketMatchers.SELECTION_KEY_CHANNEL.matches(call, state)) {
      Symbol channel = receiver instanceof IdentifierTree key
          ? channelOfKey.get(ASTHelpers.getSymbol(key)) : null;
      return channel == null ? null : origins.get(channel);
    }
    if (SocketMatchers.CHANNEL_STREAM.matches(call, state) && !call.getArguments().isEmpty()) {
      String name = ASTHelpers.getSymbol(call).getSimpleName().toString();
      return onConnection(origin(call.getArguments().get(0)),
          name.startsWith("newInput") || name.equals("newReader") ? Side.INPUT : Side.OUTPUT);
    }
    // reader(socket), bufferedOutput(out): a factory returning a stream over what it is given
    Side side = sideOfType(ASTHelpers.getType(call), state);
    if (side != null) {
      for (ExpressionTree argument : call.getArguments()) {
        Origin given = origin(argument);
        if (given != null && (given.side() == Side.CONNECTION || given.side() == side)) {
          return new Origin(given.connection(), side);
        }
      }
    }
    return null;
  }

  @Nullable
  private static Origin onConnection(@Nullable Origin receiver, Side side) {
    return receiver == null || receiver.side() != Side.CONNECTION ? null
        : new Origin(receiver.connection(), side);
  }

  /** The side a stream, reader or writer of this type stands for, or null for other types. */
  @Nullable
  static Side sideOfType(@Nullable Type type, VisitorState state) {
    if (type == null) {
      return null;
    }
    if (isSubtype(type, INPUT_STREAM, state) || isSubtype(type, READER, state)
        || isSubtype(type, SCANNER, state)) {
      return Side.INPUT;
    }
    if (isSubtype(type, OUTPUT_STREAM, state) || isSubtype(type, WRITER, state)) {
      return Side.OUTPUT;
    }
    return null;
  }

  /**
   * True for {@code SocketChannel.open(StandardProtocolFamily.UNIX)}: not TCP, so none of the
   * kernel's TCP teardown (FIN, RST, TIME_WAIT, SO_LINGER) applies.
   */
  static boolean isUnixDomain(@Nullable ExpressionTree initializer) {
    return initializer instanceof MethodInvocationTree open
        && open.getArguments().stream().map(ASTHelpers::getSymbol).anyMatch(argument ->
            argument != null && argument.getSimpleName().contentEquals("UNIX")
                && argument.owner.getQualifiedName()
                    .contentEquals("java.net.StandardProtocolFamily"));
  }

  /** True for a {@code Socket} or {@code SocketChannel} (and their subclasses). */
  static boolean isConnection(Type type, VisitorState state) {
    return isSubtype(type, SOCKET, state) || isSubtype(type, SOCKET_CHANNEL, state);
  }

  private static boolean isSubtype(Type type, Supplier<Type> supertype, VisitorState state) {
    Type resolved = supertype.get(state);
    return resolved != null && ASTHelpers.isSubtype(type, resolved, state);
  }

  /**
   * True if this method's flow cannot place a use at {@code path}: for a local, anything in a
   * lambda or class inside the method (code that runs later); for a field, anything in a class
   * inside the method, whose own methods have flows of their own. A lambda's body counts as
   * inline for a field: {@code executor.execute(() -> { handle(); close(); })}.
   */
  private boolean hidden(Origin origin, TreePath path) {
    return ClassFlow.isField(origin.connection()) ? nestedClass(path) : nested(path);
  }

  /** True if {@code path} lies in a lambda or class inside the method: code that runs later. */
  private boolean nested(TreePath path) {
    for (TreePath p = path; p != null && p.getLeaf() != method; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree || leaf instanceof ClassTree) {
        return true;
      }
    }
    return false;
  }

  private boolean nestedClass(TreePath path) {
    for (TreePath p = path; p != null && p.getLeaf() != method; p = p.getParentPath()) {
      if (p.getLeaf() instanceof ClassTree) {
        return true;
      }
    }
    return false;
  }

  /** {@code this} or {@code Outer.this}. */
  private static boolean isThis(@Nullable ExpressionTree tree) {
    ExpressionTree stripped = strip(tree);
    return (stripped instanceof IdentifierTree identifier
            && identifier.getName().contentEquals("this"))
        || (stripped instanceof MemberSelectTree select
            && select.getIdentifier().contentEquals("this"));
  }

  private void record(Symbol connection, SocketEvent.Kind kind, @Nullable TryTree endOf,
      @Nullable Integer linger) {
    flow.add(connection, kind, getCurrentPath(), endOf, linger);
  }

  /** {@code tree} without the parentheses and casts around it. */
  @Nullable
  static ExpressionTree strip(@Nullable ExpressionTree tree) {
    ExpressionTree stripped = tree;
    while (stripped instanceof ParenthesizedTree || stripped instanceof TypeCastTree) {
      stripped = stripped instanceof ParenthesizedTree parenthesized
          ? parenthesized.getExpression() : ((TypeCastTree) stripped).getExpression();
    }
    return stripped;
  }

  private static boolean isNullLiteral(ExpressionTree tree) {
    return tree instanceof LiteralTree literal && literal.getValue() == null;
  }
}
