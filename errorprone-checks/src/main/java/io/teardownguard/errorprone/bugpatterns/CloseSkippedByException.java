package io.teardownguard.errorprone.bugpatterns;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import io.teardownguard.errorprone.matchers.SocketMatchers;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.inject.Inject;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Flags the close of a connection in a teardown method ({@code close}, {@code shutdown},
 * {@code stop}, {@code disconnect}, ...) that an {@code IOException} from a call before it skips:
 * a flush or write of a reply, a read, a helper declared to throw {@code IOException}, with no
 * {@code finally} (or catch) that closes the connection instead. On Linux such a call throws on a
 * connection that is still open: a write after the peer reset it fails with ECONNRESET, one after
 * the peer closed it (and answered a write with RST) with EPIPE ({@code tcp_reset()} records the
 * error, {@code tcp_sendmsg_locked()} returns it; the JDK's "Connection reset by peer", "Broken
 * pipe"). The close is skipped, the descriptor stays open until the socket is
 * garbage collected, and a teardown method is rarely called twice (HTTPCORE-207's
 * {@code close()} had cleared its {@code open} flag first).
 *
 * <p>Calls that throw only on a socket that is already closed are not counted: socket options
 * ({@code setSoLinger}, {@code setSoTimeout}, {@code setOption}), {@code shutdownInput()} and
 * {@code shutdownOutput()} (the JDK ignores ENOTCONN from {@code shutdown()} after a reset,
 * {@code Net.shutdown}), the socket's getters. Measured on JDK 17 and 25 on loopback: after the
 * peer's FIN or RST all of these return normally and throw only "Socket is closed", when the
 * skipped close would have done nothing. Nor is the teardown of another layer ({@code close()},
 * {@code super.disconnect()}, {@code closeQuietly(in)}): it releases rather than writes, and
 * such methods close quietly (commons-net's {@code SocketClient.disconnect()} declares
 * {@code IOException} and throws none). That rule and two others each silence one false alarm
 * of the check's first field run (docs/checks/field-results.md): only the class's own connection
 * is followed (h2's {@code stopServer()} makes, and closes, a socket of its own), and a
 * try-with-resources over the socket a TLS socket is layered on closes the connection.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "An IOException from a call before this close skips it and leaks the connection;"
        + " close it in a finally",
    severity = WARNING,
    link = CheckDocs.BASE + "CloseSkippedByException.md",
    linkType = CUSTOM)
public final class CloseSkippedByException extends DocumentedCheck
    implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** Method names whose job is to release the connection. */
  private static final Pattern TEARDOWN = Pattern.compile(
      "(?i)close|shutdown|disconnect|^stop|^clean_?up|^destroy|^release|^terminate|^dispose");

  /** Connection calls that throw only on a closed socket (options, shutdowns, getters). */
  private static final Pattern THROWS_ONLY_WHEN_CLOSED =
      Pattern.compile("^(set|get|is|shutdown|configureBlocking|register|bind)");

  /** Instantiates a new {@link CloseSkippedByException} instance, linking to the project's page. */
  public CloseSkippedByException() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Instantiates a new {@link CloseSkippedByException} instance.
   *
   * @param flags Error Prone's flags; {@code -XepOpt:TeardownGuard:DocsBase} sets where the link
   *     in a diagnostic points
   */
  @Inject
  CloseSkippedByException(ErrorProneFlags flags) {
    super(flags);
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!SocketMatchers.CONNECTION_CLOSE.matches(tree, state)
        || !(state.getPath().getParentPath().getLeaf() instanceof ExpressionStatementTree)) {
      return Description.NO_MATCH;
    }
    Symbol connection = ASTHelpers.getSymbol(ASTHelpers.getReceiver(tree));
    TreePath statement = state.getPath().getParentPath();
    if (connection == null || !inTeardownMethod(statement)
        || !isTheClassesConnection(connection, state)) {
      return Description.NO_MATCH;
    }
    Skip skip = firstUnprotectedThrow(statement, connection, state);
    if (skip == null) {
      return Description.NO_MATCH;
    }
    Description.Builder description = buildDescription(tree).setMessage(String.format(
        "This close of `%s` is skipped when `%s` before it throws: on Linux a write or flush to a"
            + " peer that reset or closed the connection fails (\"Connection reset by peer\","
            + " \"Broken pipe\") and the socket's descriptor stays open. Close `%s` in a"
            + " finally.",
        connection.getSimpleName(), state.getSourceForNode(skip.call()),
        connection.getSimpleName()));
    SuggestedFix fix = closeInFinally(statement, skip, state);
    if (fix != null) {
      description.addFix(fix);
    }
    return description.build();
  }

  /** A call that can throw {@code IOException}, in the statement {@code sibling} of {@code block}. */
  private record Skip(MethodInvocationTree call, BlockTree block, StatementTree sibling) {}

  /**
   * True for the connection a teardown method exists to release: a field of the class, or a local
   * taken from one ({@code Socket sock = this.socket}, {@code socketHolder.getAndSet(null)}). A
   * parameter belongs to the caller, which holds it and closes it when this method throws (the
   * sample programs' {@code sendAndClose(Socket)} inside the caller's try-with-resources). A
   * connection made in the method (accepted, opened) is the general resource leak on an exception
   * path, which resource-leak checkers report; here it would flag every helper that makes,
   * writes and closes one.
   */
  private static boolean isTheClassesConnection(Symbol connection, VisitorState state) {
    if (connection.getKind() == ElementKind.FIELD) {
      return true;
    }
    if (connection.getKind() != ElementKind.LOCAL_VARIABLE) {
      return false;
    }
    TreePath method = state.findPathToEnclosing(MethodTree.class);
    Boolean fromField = method == null ? null : new TreeScanner<Boolean, Void>() {
      @Override
      public Boolean visitVariable(VariableTree variable, Void unused) {
        return ASTHelpers.getSymbol(variable) == connection && variable.getInitializer() != null
            ? readsAField(variable.getInitializer()) : super.visitVariable(variable, null);
      }

      @Override
      public Boolean reduce(Boolean left, Boolean right) {
        return Boolean.TRUE.equals(left) || Boolean.TRUE.equals(right);
      }
    }.scan(method.getLeaf(), null);
    return Boolean.TRUE.equals(fromField);
  }

  /** {@code this.socket}, {@code socket}, or a call on a field ({@code holder.getAndSet(null)}). */
  private static boolean readsAField(ExpressionTree initializer) {
    ExpressionTree value = SocketMatchers.stripped(initializer);
    if (value instanceof MethodInvocationTree call) {
      value = ASTHelpers.getReceiver(call);
    }
    Symbol symbol = value == null ? null : ASTHelpers.getSymbol(value);
    return symbol != null && symbol.getKind() == ElementKind.FIELD;
  }

  private static boolean inTeardownMethod(TreePath statement) {
    for (Tree enclosing : statement) {
      if (enclosing instanceof MethodTree method) {
        return TEARDOWN.matcher(method.getName()).find();
      }
      if (enclosing instanceof LambdaExpressionTree || enclosing instanceof ClassTree) {
        return false;
      }
    }
    return false;
  }

  /**
   * The first call, in the order the method runs them, that runs before the close, can throw
   * {@code IOException} with the connection open, and whose exception reaches neither a handler
   * between it and the close nor a catch or finally that closes the connection.
   */
  private static @Nullable Skip firstUnprotectedThrow(TreePath statement, Symbol connection,
      VisitorState state) {
    List<Skip> found = new ArrayList<>();
    TreePath child = statement;
    for (TreePath parent = statement.getParentPath();
        !(parent.getLeaf() instanceof MethodTree); parent = parent.getParentPath()) {
      if (parent.getLeaf() instanceof LambdaExpressionTree
          || parent.getLeaf() instanceof ClassTree) {
        return null;
      }
      if (parent.getLeaf() instanceof TryTree tryTree
          && protects(tryTree, child, connection, state)) {
        found.clear(); // every throw found so far lands in a handler that closes the connection
      }
      if (parent.getLeaf() instanceof BlockTree block) {
        List<Skip> here = new ArrayList<>();
        for (StatementTree sibling : block.getStatements()) {
          if (sibling == child.getLeaf()) {
            break;
          }
          MethodInvocationTree call = unhandledThrow(sibling, state);
          if (call != null) {
            here.add(new Skip(call, block, sibling));
          }
        }
        found.addAll(0, here); // statements of an outer block run before those of an inner one
      }
      child = parent;
    }
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * True if {@code tryTree}, entered through {@code child}, closes the connection on the way out
   * of its block: a resource that is the connection or any other connection (the socket a TLS
   * socket is layered on, whose close releases the descriptor: httpcore 5's
   * {@code try (Socket baseSocket = ...) { ...; sslSocket.close(); }}), a finally that names the
   * connection, or (for a close in the block) a catch of the exception that names it.
   */
  private static boolean protects(TryTree tryTree, TreePath child, Symbol connection,
      VisitorState state) {
    if (child.getLeaf() != tryTree.getBlock()) {
      return false; // the close is in a catch or the finally: the try's block cannot skip it
    }
    for (Tree resource : tryTree.getResources()) {
      if (mentions(resource, connection) || isConnection(resource, state)) {
        return true;
      }
    }
    if (tryTree.getFinallyBlock() != null && mentions(tryTree.getFinallyBlock(), connection)) {
      return true;
    }
    for (CatchTree catchTree : tryTree.getCatches()) {
      if (mentions(catchTree.getBlock(), connection)) {
        return true; // a catch that closes (or hands off) the connection itself
      }
    }
    return false;
  }

  /**
   * The first call in {@code statement} that can throw {@code IOException} with the connection
   * open and is not caught inside the statement; null if none.
   */
  private static @Nullable MethodInvocationTree unhandledThrow(StatementTree statement,
      VisitorState state) {
    Type ioException = state.getTypeFromString("java.io.IOException");
    MethodInvocationTree[] first = new MethodInvocationTree[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitTry(TryTree tryTree, Void unused) {
        if (!catches(tryTree, ioException, state)) {
          scan(tryTree.getResources(), null);
          scan(tryTree.getBlock(), null);
        }
        scan(tryTree.getCatches(), null);
        scan(tryTree.getFinallyBlock(), null);
        return null;
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        super.visitMethodInvocation(call, null);
        if (first[0] == null && throwsWithConnectionOpen(call, ioException, state)) {
          first[0] = call;
        }
        return null;
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree lambda, Void unused) {
        return null; // not run here
      }

      @Override
      public Void visitClass(ClassTree classTree, Void unused) {
        return null;
      }
    }.scan(statement, null);
    return first[0];
  }

  private static boolean throwsWithConnectionOpen(MethodInvocationTree call, Type ioException,
      VisitorState state) {
    Symbol.MethodSymbol method = ASTHelpers.getSymbol(call);
    if (TEARDOWN.matcher(method.getSimpleName()).find()
        || (SocketMatchers.ON_CONNECTION.matches(call, state)
            && THROWS_ONLY_WHEN_CLOSED.matcher(method.getSimpleName()).find())) {
      return false;
    }
    for (Type thrown : method.getThrownTypes()) {
      if (ASTHelpers.isSubtype(thrown, ioException, state)) {
        return true;
      }
    }
    return false;
  }

  /** True if a catch of {@code tryTree} takes an {@code IOException} (or a supertype of it). */
  private static boolean catches(TryTree tryTree, Type ioException, VisitorState state) {
    for (CatchTree catchTree : tryTree.getCatches()) {
      Type caught = ASTHelpers.getType(catchTree.getParameter());
      Iterable<? extends Type> alternatives = caught instanceof Type.UnionClassType union
          ? union.getAlternativeTypes() : caught == null ? List.of() : List.of(caught);
      for (Type alternative : alternatives) {
        if (ASTHelpers.isSubtype(ioException, alternative, state)) {
          return true;
        }
      }
    }
    return false;
  }

  /** True for a try resource that is a {@code Socket} or a {@code SocketChannel}. */
  private static boolean isConnection(Tree resource, VisitorState state) {
    Type type = ASTHelpers.getType(resource);
    return type != null
        && (ASTHelpers.isSubtype(type, state.getTypeFromString("java.net.Socket"), state)
            || ASTHelpers.isSubtype(type,
                state.getTypeFromString("java.nio.channels.SocketChannel"), state));
  }

  private static boolean mentions(Tree tree, Symbol connection) {
    Boolean found = new TreeScanner<Boolean, Void>() {
      @Override
      public Boolean visitIdentifier(IdentifierTree identifier, Void unused) {
        return ASTHelpers.getSymbol(identifier) == connection;
      }

      @Override
      public Boolean visitMemberSelect(MemberSelectTree select, Void unused) {
        return ASTHelpers.getSymbol(select) == connection || super.visitMemberSelect(select, null);
      }

      @Override
      public Boolean reduce(Boolean left, Boolean right) {
        return Boolean.TRUE.equals(left) || Boolean.TRUE.equals(right);
      }
    }.scan(tree, null);
    return Boolean.TRUE.equals(found);
  }

  /**
   * Moves the close into a finally around the statements from the throwing one to the close,
   * when both are in the same block and nothing declared between them is used after the close.
   */
  private static @Nullable SuggestedFix closeInFinally(TreePath statement, Skip skip,
      VisitorState state) {
    if (statement.getParentPath().getLeaf() != skip.block()) {
      return null;
    }
    List<? extends StatementTree> statements = skip.block().getStatements();
    int from = statements.indexOf(skip.sibling());
    int close = statements.indexOf((StatementTree) statement.getLeaf());
    List<Symbol> declared = new ArrayList<>();
    for (StatementTree moved : statements.subList(from, close)) {
      if (moved instanceof VariableTree variable) {
        declared.add(ASTHelpers.getSymbol(variable));
      }
    }
    for (StatementTree after : statements.subList(close + 1, statements.size())) {
      for (Symbol symbol : declared) {
        if (mentions(after, symbol)) {
          return null;
        }
      }
    }
    StringBuilder body = new StringBuilder("try {\n");
    for (StatementTree moved : statements.subList(from, close)) {
      body.append(state.getSourceForNode(moved)).append('\n');
    }
    body.append("} finally {\n").append(state.getSourceForNode(statement.getLeaf())).append("\n}");
    return SuggestedFix.builder()
        .replace(ASTHelpers.getStartPosition(statements.get(from)),
            state.getEndPosition(statement.getLeaf()), body.toString())
        .build();
  }
}
