package io.teardownguard.errorprone.bugpatterns;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import java.util.function.Predicate;
import javax.inject.Inject;
import javax.lang.model.type.TypeKind;
import org.jspecify.annotations.Nullable;

/**
 * Flags {@code shutdownInput()} on a socket that is, or may be, an {@code SSLSocket}. The JDK's
 * {@code SSLSocketImpl.shutdownInput()} (JDK 11 and later) throws {@code SSLException: closing
 * inbound before receiving peer's close_notify} whenever the handshake has started and the peer's
 * close_notify has not arrived, which is the normal state of a connection the application is
 * tearing down; before JDK 11 it threw {@code UnsupportedOperationException}. The exception skips
 * whatever follows, usually the socket's {@code close()}: the descriptor stays open until the
 * garbage collector finds the socket, and the peer sees no FIN.
 *
 * <p>A socket may be TLS when its declared type is {@code SSLSocket}, or when the file assigns
 * its variable a value of that type or one made by an {@code SSLSocketFactory}. Silent when an
 * enclosing condition tests {@code instanceof SSLSocket} (the guard that keeps the shutdown off
 * TLS sockets), and when an enclosing {@code try} catches the exception without skipping a close
 * of the socket (no close after the call in its block), or closes a socket in its {@code finally}
 * (that close runs whatever the shutdown threw; closing the plain socket under a layered TLS
 * socket releases the descriptor too), and inside a method itself named {@code shutdownInput}
 * (a socket wrapper forwarding the call).
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "shutdownInput() on an SSLSocket throws before the peer's close_notify; the close"
        + " after it is skipped",
    severity = WARNING,
    link = CheckDocs.BASE + "ShutdownInputOnTlsSocket.md",
    linkType = CUSTOM)
public final class ShutdownInputOnTlsSocket extends DocumentedCheck
    implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final Matcher<ExpressionTree> SHUTDOWN_INPUT =
      instanceMethod().onDescendantOf("java.net.Socket").named("shutdownInput");
  private static final Matcher<ExpressionTree> CLOSE =
      instanceMethod().onDescendantOf("java.net.Socket").named("close");

  private static final Supplier<Type> SSL_SOCKET =
      Suppliers.typeFromString("javax.net.ssl.SSLSocket");
  private static final Supplier<Type> SOCKET = Suppliers.typeFromString("java.net.Socket");
  private static final Supplier<Type> SSL_SOCKET_FACTORY =
      Suppliers.typeFromString("javax.net.ssl.SSLSocketFactory");
  private static final Supplier<Type> SSL_EXCEPTION =
      Suppliers.typeFromString("javax.net.ssl.SSLException");

  /** Instantiates a new {@link ShutdownInputOnTlsSocket}, linking to the project's page. */
  public ShutdownInputOnTlsSocket() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Instantiates a new {@link ShutdownInputOnTlsSocket} instance.
   *
   * @param flags Error Prone's flags; {@code -XepOpt:TeardownGuard:DocsBase} sets where the link
   *     in a diagnostic points
   */
  @Inject
  ShutdownInputOnTlsSocket(ErrorProneFlags flags) {
    super(flags);
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    if (!SHUTDOWN_INPUT.matches(tree, state)) {
      return Description.NO_MATCH;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    Symbol socket = receiver == null ? null : ASTHelpers.getSymbol(receiver);
    MethodTree method = ASTHelpers.findEnclosingNode(state.getPath(), MethodTree.class);
    if (socket == null || (method != null && method.getName().contentEquals("shutdownInput"))
        || !(isTls(receiver, state) || assignedTls(socket, state))
        || guardedOrCaught(socket, state)) {
      // a wrapper's shutdownInput() forwarding the call: its caller gets the exception as from
      // the wrapped socket, and is where a close can be skipped
      return Description.NO_MATCH;
    }
    return buildDescription(tree)
        .setMessage(String.format(
            "`%s` may be an SSLSocket: its shutdownInput() throws SSLException (\"closing inbound"
                + " before receiving peer's close_notify\") at a normal teardown, and the close"
                + " after it is skipped, leaving the descriptor open and the peer without a FIN."
                + " Close the socket without shutting its input, or skip the shutdown when it is"
                + " an SSLSocket.",
            socket.getSimpleName()))
        .build();
  }

  /** True if {@code expression} is an SSLSocket or made by an SSLSocketFactory. */
  private static boolean isTls(@Nullable ExpressionTree expression, VisitorState state) {
    if (expression == null) {
      return false;
    }
    Type type = ASTHelpers.getType(expression);
    if (type != null && type.getKind() != TypeKind.NULL // null is a subtype of every class
        && ASTHelpers.isSubtype(type, SSL_SOCKET.get(state), state)) {
      return true;
    }
    if (expression instanceof MethodInvocationTree call
        && ASTHelpers.getSymbol(call).getSimpleName().contentEquals("createSocket")
        && ASTHelpers.getReceiver(call) != null) {
      Type factory = ASTHelpers.getType(ASTHelpers.getReceiver(call));
      return factory != null && ASTHelpers.isSubtype(factory, SSL_SOCKET_FACTORY.get(state), state);
    }
    return false;
  }

  /** True if the file gives {@code socket}'s variable a TLS value anywhere. */
  private static boolean assignedTls(Symbol socket, VisitorState state) {
    return contains(state.getPath().getCompilationUnit(), tree ->
        (tree instanceof VariableTree variable
            && socket.equals(ASTHelpers.getSymbol(variable))
            && isTls(variable.getInitializer(), state))
        || (tree instanceof AssignmentTree assignment
            && socket.equals(ASTHelpers.getSymbol(assignment.getVariable()))
            && isTls(ASTHelpers.stripParentheses(assignment.getExpression()), state)));
  }

  /**
   * True if, within the method, a condition around the call tests {@code instanceof SSLSocket},
   * or a try around it closes a socket in its {@code finally}, or catches the SSLException and
   * does not thereby skip a close of {@code socket}.
   */
  private static boolean guardedOrCaught(Symbol socket, VisitorState state) {
    Tree call = state.getPath().getLeaf();
    Tree child = call;
    for (TreePath path = state.getPath().getParentPath();
        path != null && !(path.getLeaf() instanceof MethodTree);
        child = path.getLeaf(), path = path.getParentPath()) {
      if (path.getLeaf() instanceof IfTree branch && testsSslSocket(branch.getCondition(), state)) {
        return true;
      }
      if (path.getLeaf() instanceof TryTree attempt && attempt.getBlock() == child
          && (contains(attempt.getFinallyBlock(), tree -> closesASocket(tree, state))
              || (catchesSslException(attempt, state)
                  && !contains(attempt.getBlock(), tree -> isCloseOf(tree, socket, state)
                      && ASTHelpers.getStartPosition(tree) > ASTHelpers.getStartPosition(call))))) {
        return true;
      }
    }
    return false;
  }

  private static boolean testsSslSocket(ExpressionTree condition, VisitorState state) {
    return contains(condition, tree -> tree instanceof InstanceOfTree test
        && test.getType() != null && ASTHelpers.getType(test.getType()) != null
        && ASTHelpers.isSameType(ASTHelpers.getType(test.getType()), SSL_SOCKET.get(state), state));
  }

  private static boolean catchesSslException(TryTree attempt, VisitorState state) {
    for (CatchTree handler : attempt.getCatches()) {
      Type caught = ASTHelpers.getType(handler.getParameter());
      if (caught != null && ASTHelpers.isSubtype(SSL_EXCEPTION.get(state), caught, state)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isCloseOf(Tree tree, Symbol socket, VisitorState state) {
    return tree instanceof MethodInvocationTree call && CLOSE.matches(call, state)
        && ASTHelpers.getReceiver(call) != null
        && socket.equals(ASTHelpers.getSymbol(ASTHelpers.getReceiver(call)));
  }

  /**
   * True for a close of any socket, directly or through a helper ({@code
   * closeQuietly(baseSocket)}): in a {@code finally}, it releases the descriptor whatever the
   * shutdown threw, also when the TLS socket is layered over that one.
   */
  private static boolean closesASocket(Tree tree, VisitorState state) {
    if (!(tree instanceof MethodInvocationTree call)) {
      return false;
    }
    if (CLOSE.matches(call, state)) {
      return true;
    }
    return ASTHelpers.getSymbol(call).getSimpleName().toString().startsWith("close")
        && call.getArguments().stream().anyMatch(argument -> ASTHelpers.getType(argument) != null
            && ASTHelpers.isSubtype(ASTHelpers.getType(argument), SOCKET.get(state), state));
  }

  /** True if {@code root} or a tree inside it is {@code wanted}. */
  private static boolean contains(@Nullable Tree root, Predicate<Tree> wanted) {
    Boolean found = new TreeScanner<Boolean, Void>() {
      @Override
      public Boolean scan(Tree tree, Void unused) {
        return tree != null && (wanted.test(tree) || Boolean.TRUE.equals(super.scan(tree, null)));
      }

      @Override
      public Boolean reduce(Boolean first, Boolean second) {
        return Boolean.TRUE.equals(first) || Boolean.TRUE.equals(second);
      }
    }.scan(root, null);
    return Boolean.TRUE.equals(found);
  }
}
