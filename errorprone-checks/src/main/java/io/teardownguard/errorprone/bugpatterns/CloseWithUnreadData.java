package io.teardownguard.errorprone.bugpatterns;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.CLOSE;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.DRAIN;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.HANDOFF;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.PARTIAL_READ;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SHUTDOWN_INPUT;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SHUTDOWN_OUTPUT;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.STREAM_CLOSE;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Type.UnionClassType;
import io.teardownguard.errorprone.matchers.Reachability;
import io.teardownguard.errorprone.matchers.SocketEvent;
import io.teardownguard.errorprone.matchers.SocketFlow;
import io.teardownguard.model.rules.RuleText;
import java.util.List;
import java.util.Set;
import javax.inject.Inject;
import org.jspecify.annotations.Nullable;

/**
 * Flags the close of a connection after a read that stopped before end of stream (a line, a
 * header, one buffer): what the peer sent beyond it is still in the kernel's receive queue, and
 * Linux answers a close with unread data with RST instead of FIN ({@code __tcp_close()},
 * {@code data_was_unread}; RFC 2525 2.17, RFC 1122 4.2.2.13).
 *
 * <p>Silent when the method reads to end of stream anywhere (a loop, {@code readAllBytes},
 * {@code transferTo}, {@code skip}, a test for -1 that the close follows), when the input goes to
 * code it cannot see, when {@code shutdownInput()} is involved ({@link ShutdownInputHidesData}
 * reports that), and when the connection leaves the method.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = RuleText.CLOSE_WITH_UNREAD_DATA_SUMMARY,
    severity = WARNING,
    link = CheckDocs.BASE + "CloseWithUnreadData.md",
    linkType = CUSTOM)
public final class CloseWithUnreadData extends DocumentedCheck implements MethodTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** Anything that may have read the rest, or that another check reports. */
  private static final Set<SocketEvent.Kind> SILENCERS = Set.of(DRAIN, HANDOFF, SHUTDOWN_INPUT);

  /** Instantiates a new {@link CloseWithUnreadData} instance, linking to the project's page. */
  public CloseWithUnreadData() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Instantiates a new {@link CloseWithUnreadData} instance.
   *
   * @param flags Error Prone's flags; {@code -XepOpt:TeardownGuard:DocsBase} sets where the link
   *     in a diagnostic points
   */
  @Inject
  CloseWithUnreadData(ErrorProneFlags flags) {
    super(flags);
  }

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    SocketFlow flow = SocketFlow.of(state.getPath(), state);
    for (Symbol connection : flow.connections()) {
      if (TlsCloseDiscardsData.isSslSocket(connection, state)) {
        continue; // SSLSocket.close() reads the rest itself: TlsCloseDiscardsData reports that
      }
      SocketFlow.Reached reached = unreadAtClose(flow, connection, state);
      if (reached != null) {
        state.reportMatch(buildDescription(reached.later().tree())
            .setMessage(String.format(
                "`%s` is closed after a read that stops before end of stream: whatever the peer"
                    + " sent beyond it is unread, and Linux then resets the connection (RST)"
                    + " instead of closing it. Read to EOF (bounded) first, e.g. shutdownOutput()"
                    + " and drain the input, before close().",
                connection.getSimpleName()))
            .build());
      }
    }
    return Description.NO_MATCH;
  }

  /**
   * The first close reached from a partial read that does not follow a {@code shutdownOutput()}
   * of the same connection, or null (also for a connection this method does not follow, or whose
   * rest may have been read, or whose {@code shutdownInput()} another check reports). After the half-close the exchange is over: the request is
   * complete and the peer, seeing EOF, sends its reply and closes, so a read of the reply (a
   * {@code readLine()} that, against a one-word reply without a newline, even reads to EOF)
   * leaves at most the peer's FIN, which is not unread data ({@code __tcp_close()} counts bytes
   * only). A reply longer than what is read is missed; the field run found the opposite, a
   * false alarm (docs/checks/CloseWithUnreadData.md). A server's read that takes the whole
   * request of the class's own clients (the class holds both ends: {@code
   * SocketFlow.readsOwnClientsRequest}) leaves nothing unread either.
   *
   * <p>{@code state}'s path must be the method's.
   */
  static SocketFlow.@Nullable Reached unreadAtClose(SocketFlow flow, Symbol connection,
      VisitorState state) {
    if (flow.untracked(connection) || flow.has(connection, SILENCERS)) {
      return null;
    }
    for (SocketEvent close : flow.events(connection)) {
      if ((close.kind() != CLOSE && close.kind() != STREAM_CLOSE)
          || flow.onlyAtEndOfStream(connection, close) // if (read == -1) { close(); }
          || handlesIoFailure(close.path(), state)) {
        continue;
      }
      for (SocketEvent read : flow.events(connection)) {
        if (read.kind() == PARTIAL_READ && Reachability.reaches(read, close)
            && !afterHalfClose(flow, connection, read)
            && !SocketFlow.readsOwnClientsRequest(state.getPath(), state, connection, read)) {
          return new SocketFlow.Reached(read, close);
        }
      }
    }
    return null;
  }

  /**
   * True if {@code close} is in a {@code catch} of {@code IOException} (or its subclasses only),
   * directly or in a try of its own there:
   * the cleanup of a connection whose read or write just failed (reset, broken pipe, timeout).
   * A reset connection has no receive queue left to reset, and a failed one cannot be drained, so
   * the check's advice does not apply (JGroups' NIO transport closes its channel there). A
   * {@code catch (Exception e)} around a parse of what was read is a rejection, and stays flagged.
   */
  private static boolean handlesIoFailure(TreePath close, VisitorState state) {
    Type ioException = state.getTypeFromString("java.io.IOException");
    for (TreePath p = close; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree || leaf instanceof ClassTree
          || leaf instanceof LambdaExpressionTree) {
        return false;
      }
      if (leaf instanceof CatchTree caught && ioException != null) {
        Type type = ASTHelpers.getType(caught.getParameter());
        Iterable<? extends Type> alternatives = type instanceof UnionClassType union
            ? union.getAlternativeTypes() : List.of(type);
        for (Type alternative : alternatives) {
          if (alternative == null || !ASTHelpers.isSubtype(alternative, ioException, state)) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  private static boolean afterHalfClose(SocketFlow flow, Symbol connection, SocketEvent read) {
    return flow.events(connection).stream().anyMatch(e -> e.kind() == SHUTDOWN_OUTPUT
        && e.path() != read.path() && Reachability.reaches(e, read));
  }
}
