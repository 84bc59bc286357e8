package io.teardownguard.errorprone.bugpatterns;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.DRAIN;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.NON_BLOCKING;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.PARTIAL_READ;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.REGISTER;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SET_LINGER;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SHUTDOWN_INPUT;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SHUTDOWN_OUTPUT;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.STREAM_CLOSE;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.USE;
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
import io.teardownguard.errorprone.matchers.SocketEvent;
import io.teardownguard.errorprone.matchers.SocketFlow;
import java.util.Set;
import javax.inject.Inject;

/**
 * Flags a use of a socket after one of its streams was closed. Closing a {@code Socket}'s input
 * or output stream closes the whole socket ({@code Socket$SocketInputStream.close()},
 * {@code sun.nio.ch.SocketInputStream.close()}), with whatever that close does on the wire (RST
 * if input was unread); the later call then fails with "Socket is closed".
 *
 * <p>Silent when the variable is assigned another connection in the method.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = "Closing a socket's input or output stream closes the socket; do not use the socket"
        + " afterwards",
    severity = WARNING,
    link = CheckDocs.BASE + "SocketUsedAfterStreamClose.md",
    linkType = CUSTOM)
public final class SocketUsedAfterStreamClose extends DocumentedCheck implements MethodTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** Calls that need an open socket. */
  private static final Set<SocketEvent.Kind> NEEDS_OPEN_SOCKET = Set.of(USE, WRITE, PARTIAL_READ,
      DRAIN, SHUTDOWN_INPUT, SHUTDOWN_OUTPUT, SET_LINGER, NON_BLOCKING, REGISTER);

  /**
   * Instantiates a new {@link SocketUsedAfterStreamClose} instance, linking to the project's page.
   */
  public SocketUsedAfterStreamClose() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Instantiates a new {@link SocketUsedAfterStreamClose} instance.
   *
   * @param flags Error Prone's flags; {@code -XepOpt:TeardownGuard:DocsBase} sets where the link
   *     in a diagnostic points
   */
  @Inject
  SocketUsedAfterStreamClose(ErrorProneFlags flags) {
    super(flags);
  }

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    SocketFlow flow = SocketFlow.of(state.getPath(), state);
    for (Symbol connection : flow.singleConnections()) {
      SocketFlow.Reached reached =
          flow.firstReachedFromOwnEvent(connection, Set.of(STREAM_CLOSE), NEEDS_OPEN_SOCKET);
      if (reached != null) {
        state.reportMatch(buildDescription(reached.later().tree())
            .setMessage(String.format(
                "`%s` is used after one of its streams was closed, which closed the socket: this"
                    + " call fails with \"Socket is closed\". Keep the streams open until the"
                    + " socket is done, and close the socket itself.",
                connection.getSimpleName()))
            .build());
      }
    }
    return Description.NO_MATCH;
  }
}
