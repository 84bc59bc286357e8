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
import java.util.concurrent.atomic.AtomicBoolean;
import javax.inject.Inject;
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
 * of the socket (no close after the call in its block, or the close in its {@code finally}).
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
    if (socket == null || !(isTls(receiver, state) || assignedTls(socket, state))
        || guardedOrCaught(socket, state)) {
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
    if (type != null && ASTHelpers.isSubtype(type, SSL_SOCKET.get(state), state)) {
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
    AtomicBoolean found = new AtomicBoolean();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree variable, Void unused) {
        if (socket.equals(ASTHelpers.getSymbol(variable))
            && isTls(variable.getInitializer(), state)) {
          found.set(true);
        }
        return super.visitVariable(variable, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree assignment, Void unused) {
        if (socket.equals(ASTHelpers.getSymbol(assignment.getVariable()))
            && isTls(ASTHelpers.stripParentheses(assignment.getExpression()), state)) {
          found.set(true);
        }
        return super.visitAssignment(assignment, null);
      }
    }.scan(state.getPath().getCompilationUnit(), null);
    return found.get();
  }

  /**
   * True if, within the method, a condition around the call tests {@code instanceof SSLSocket},
   * or a try around it catches the SSLException and does not thereby skip a close of
   * {@code socket}.
   */
  private static boolean guardedOrCaught(Symbol socket, VisitorState state) {
    Tree child = state.getPath().getLeaf();
    for (TreePath path = state.getPath().getParentPath();
        path != null && !(path.getLeaf() instanceof MethodTree);
        child = path.getLeaf(), path = path.getParentPath()) {
      if (path.getLeaf() instanceof IfTree branch && testsSslSocket(branch.getCondition(), state)) {
        return true;
      }
      if (path.getLeaf() instanceof TryTree attempt && attempt.getBlock() == child
          && catchesSslException(attempt, state)
          && (closes(attempt.getFinallyBlock(), socket, state)
              || !closesAfter(attempt.getBlock(), state.getPath().getLeaf(), socket, state))) {
        return true;
      }
    }
    return false;
  }

  private static boolean testsSslSocket(ExpressionTree condition, VisitorState state) {
    AtomicBoolean found = new AtomicBoolean();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitInstanceOf(InstanceOfTree test, Void unused) {
        Type type = ASTHelpers.getType(test.getType());
        if (type != null && ASTHelpers.isSameType(type, SSL_SOCKET.get(state), state)) {
          found.set(true);
        }
        return super.visitInstanceOf(test, null);
      }
    }.scan(condition, null);
    return found.get();
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

  private static boolean closes(@Nullable Tree block, Symbol socket, VisitorState state) {
    return closesAfter(block, null, socket, state);
  }

  /** True if {@code block} closes {@code socket} (after {@code start}, when it is given). */
  private static boolean closesAfter(@Nullable Tree block, @Nullable Tree start, Symbol socket,
      VisitorState state) {
    if (block == null) {
      return false;
    }
    AtomicBoolean started = new AtomicBoolean(start == null);
    AtomicBoolean found = new AtomicBoolean();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        super.visitMethodInvocation(call, null);
        if (call == start) {
          started.set(true);
        } else if (started.get() && CLOSE.matches(call, state)
            && ASTHelpers.getReceiver(call) != null
            && socket.equals(ASTHelpers.getSymbol(ASTHelpers.getReceiver(call)))) {
          found.set(true);
        }
        return null;
      }
    }.scan(block, null);
    return found.get();
  }
}
