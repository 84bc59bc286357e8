package io.teardownguard.errorprone.bugpatterns;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SHUTDOWN_OUTPUT;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.WRITE;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.MethodTree;
import com.sun.tools.javac.code.Symbol;
import io.teardownguard.errorprone.matchers.SocketFlow;
import java.util.Set;
import javax.inject.Inject;

/**
 * Flags a write to a connection on a path after its {@code shutdownOutput()}. The FIN is already
 * queued ({@code tcp_shutdown()}: SEND_SHUTDOWN), so the write cannot reach the peer: a
 * {@code Socket} stream throws "Socket output is shutdown", a {@code SocketChannel} throws
 * {@code ClosedChannelException} ({@code SocketChannelImpl.beginWrite()}), and whatever the write
 * was meant to say is lost.
 *
 * <p>Silent when the variable is assigned another connection in the method.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Do not write to a socket after shutdownOutput(): the write throws and its bytes"
        + " never reach the peer",
    severity = WARNING,
    link = CheckDocs.BASE + "WriteAfterShutdownOutput.md",
    linkType = CUSTOM)
public final class WriteAfterShutdownOutput extends DocumentedCheck implements MethodTreeMatcher {
  private static final long serialVersionUID = 1L;

  /**
   * Instantiates a new {@link WriteAfterShutdownOutput} instance, linking to the project's page.
   */
  public WriteAfterShutdownOutput() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Instantiates a new {@link WriteAfterShutdownOutput} instance.
   *
   * @param flags Error Prone's flags; {@code -XepOpt:TeardownGuard:DocsBase} sets where the link
   *     in a diagnostic points
   */
  @Inject
  WriteAfterShutdownOutput(ErrorProneFlags flags) {
    super(flags);
  }

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    SocketFlow flow = SocketFlow.of(state.getPath(), state);
    for (Symbol connection : flow.singleConnections()) {
      SocketFlow.Reached reached =
          flow.firstReachedFromOwnEvent(connection, Set.of(SHUTDOWN_OUTPUT), Set.of(WRITE));
      if (reached != null) {
        state.reportMatch(buildDescription(reached.later().tree())
            .setMessage(String.format(
                "This write to `%s` can run after its shutdownOutput(): it throws, and the bytes"
                    + " never reach the peer. Write everything first, then shut the output down.",
                connection.getSimpleName()))
            .build());
      }
    }
    return Description.NO_MATCH;
  }
}
