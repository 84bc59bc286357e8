package io.teardownguard.errorprone.bugpatterns;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SHUTDOWN_INPUT;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SHUTDOWN_OUTPUT;

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
import java.util.Set;
import javax.inject.Inject;

/**
 * Flags a connection on which one method shuts both directions, input and output, before it has
 * read the input to end of stream. With RCV_SHUTDOWN and SEND_SHUTDOWN both set, Linux answers
 * any data the peer still sends with RST ({@code tcp_rcv_state_process()}, RFC 1122 4.2.2.13):
 * the peer's next writes fail and what it sent is lost.
 *
 * <p>Silent when the input was read to end of stream (or went to unseen code) before the second
 * shutdown, and when the connection is rebound or leaves the method first.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = RuleText.RESET_ON_DATA_AFTER_SHUTDOWN_SUMMARY,
    severity = WARNING,
    link = CheckDocs.BASE + "ResetOnDataAfterShutdown.md",
    linkType = CUSTOM)
public final class ResetOnDataAfterShutdown extends DocumentedCheck implements MethodTreeMatcher {
  private static final long serialVersionUID = 1L;


  /**
   * Instantiates a new {@link ResetOnDataAfterShutdown} instance, linking to the project's page.
   */
  public ResetOnDataAfterShutdown() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Instantiates a new {@link ResetOnDataAfterShutdown} instance.
   *
   * @param flags Error Prone's flags; {@code -XepOpt:TeardownGuard:DocsBase} sets where the link
   *     in a diagnostic points
   */
  @Inject
  ResetOnDataAfterShutdown(ErrorProneFlags flags) {
    super(flags);
  }

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    SocketFlow flow = SocketFlow.of(state.getPath(), state);
    for (Symbol connection : flow.singleConnections()) {
      SocketFlow.Reached both = flow.firstReached(connection, Set.of(SHUTDOWN_INPUT),
          Set.of(SHUTDOWN_OUTPUT));
      if (both == null) {
        both = flow.firstReached(connection, Set.of(SHUTDOWN_OUTPUT), Set.of(SHUTDOWN_INPUT));
      }
      if (both != null
          && !flow.anyBefore(connection, both.later(), SocketEvent.Kind.MAY_HAVE_READ_TO_EOF)) {
        state.reportMatch(buildDescription(both.later().tree())
            .setMessage(String.format(
                "`%s` now has both directions shut while the peer may still send: Linux answers"
                    + " that data with RST. Shut only the output, read to EOF (bounded), then"
                    + " close.",
                connection.getSimpleName()))
            .build());
      }
    }
    return Description.NO_MATCH;
  }
}
