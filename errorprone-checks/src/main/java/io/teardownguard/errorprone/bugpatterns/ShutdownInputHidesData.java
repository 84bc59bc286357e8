package io.teardownguard.errorprone.bugpatterns;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.CLOSE;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.DRAIN;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.PARTIAL_READ;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SHUTDOWN_INPUT;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import io.teardownguard.errorprone.matchers.SocketEvent;
import io.teardownguard.errorprone.matchers.SocketFlow;
import io.teardownguard.model.rules.RuleText;
import java.util.EnumSet;
import java.util.List;
import javax.inject.Inject;

/**
 * Flags {@code shutdownInput()} used to "ignore the rest" of what the peer sends. Linux discards
 * nothing on SHUT_RD ({@code tcp_shutdown()} returns early): the data stays queued and more keeps
 * arriving, while the JDK makes every later read return -1 without asking the kernel
 * ({@code NioSocketImpl.implRead}). The close that follows then finds unread data and resets.
 *
 * <p>Silent when the input was read to end of stream before (then there is nothing to hide), when
 * it went to code this check cannot see first, and when the connection is rebound.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = RuleText.SHUTDOWN_INPUT_HIDES_DATA_SUMMARY,
    severity = WARNING,
    link = CheckDocs.BASE + "ShutdownInputHidesData.md",
    linkType = CUSTOM)
public final class ShutdownInputHidesData extends DocumentedCheck implements MethodTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final Supplier<Type> SOCKET = Suppliers.typeFromString("java.net.Socket");

  /**
   * For a shutdown inside a called own method (which reports it itself), true only if this
   * method read part of the input first, elsewhere than in that call: the half-read the callee
   * cannot see.
   */
  private static boolean halfReadHere(SocketFlow flow, Symbol connection, SocketEvent shutdown) {
    for (SocketEvent event : flow.events(connection)) {
      if (event == shutdown) {
        return false;
      }
      if (event.kind() == PARTIAL_READ && event.path().getLeaf() != shutdown.path().getLeaf()) {
        return true;
      }
    }
    return false;
  }

  /**
   * True if {@code shutdown} is the reader-waking idiom on a connection the class is abandoning:
   * the connection is a {@code java.net.Socket} the class keeps in a field, another of its
   * methods reads it in a way that may run to end of stream (a reader thread), this method reads
   * nothing of it, and the close of the connection comes next. SHUT_RD wakes a thread blocked in
   * a read of the socket ({@code inet_shutdown()} calls {@code sk_state_change}) and the read
   * returns -1 (measured on JDK 17 and 25; with the close right after, the reader mostly sees
   * {@code SocketException: Socket closed}, as with the close alone). On the wire the shutdown
   * changes nothing: Linux sends nothing for SHUT_RD and keeps queueing ({@code tcp_shutdown()}
   * returns early), so the close that follows at once does what a close alone would. Nothing is
   * read between them that the shutdown could hide; what the reader had not yet read is the
   * class's decision to abandon the connection, not data it believes discarded. A {@code
   * SocketChannel} is left out: those are read by a selector loop, with no reader parked in a
   * read (ZooKeeper's {@code closeSock} stays flagged).
   */
  private static boolean wakesReader(SocketFlow flow, Symbol connection, SocketEvent shutdown,
      VisitorState state) {
    if (!(connection.asType() != null
            && ASTHelpers.isSubtype(connection.asType(), SOCKET.get(state), state))
        || flow.has(connection, EnumSet.of(PARTIAL_READ, DRAIN))) {
      return false;
    }
    List<SocketEvent> events = flow.events(connection);
    int next = events.indexOf(shutdown) + 1;
    return next < events.size() && events.get(next).kind() == CLOSE
        && !flow.composed(events.get(next))
        && SocketFlow.readToEndElsewhere(state.getPath(), state, connection);
  }

  /** Instantiates a new {@link ShutdownInputHidesData} instance, linking to the project's page. */
  public ShutdownInputHidesData() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Instantiates a new {@link ShutdownInputHidesData} instance.
   *
   * @param flags Error Prone's flags; {@code -XepOpt:TeardownGuard:DocsBase} sets where the link
   *     in a diagnostic points
   */
  @Inject
  ShutdownInputHidesData(ErrorProneFlags flags) {
    super(flags);
  }

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    SocketFlow flow = SocketFlow.of(state.getPath(), state);
    for (Symbol connection : flow.singleConnections()) {
      for (SocketEvent event : flow.events(connection)) {
        if (event.kind() == SHUTDOWN_INPUT
            && !flow.anyBefore(connection, event, SocketEvent.Kind.MAY_HAVE_READ_TO_EOF)
            && (flow.composed(event) ? halfReadHere(flow, connection, event)
                : !wakesReader(flow, connection, event, state))) {
          state.reportMatch(buildDescription(event.tree())
              .setMessage(String.format(
                  "shutdownInput() on `%s` does not discard what the peer sends: Linux keeps"
                      + " queueing it while Java reads return -1, and the close that follows"
                      + " resets the connection. Read the input to EOF (bounded) instead.",
                  connection.getSimpleName()))
              .build());
          break;
        }
      }
    }
    return Description.NO_MATCH;
  }
}
