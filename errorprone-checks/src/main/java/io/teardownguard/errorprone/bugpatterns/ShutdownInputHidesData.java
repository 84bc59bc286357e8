package io.teardownguard.errorprone.bugpatterns;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.PARTIAL_READ;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SHUTDOWN_INPUT;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.MethodTree;
import com.sun.tools.javac.code.Symbol;
import io.teardownguard.errorprone.matchers.SocketEvent;
import io.teardownguard.errorprone.matchers.SocketFlow;
import io.teardownguard.model.rules.RuleText;
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
            && (!flow.composed(event) || halfReadHere(flow, connection, event))) {
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
