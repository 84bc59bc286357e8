package io.teardownguard.errorprone.bugpatterns;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.CLOSE;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.NON_BLOCKING;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.REGISTER;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.SET_LINGER;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.STREAM_CLOSE;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.fixes.SuggestedFix;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.tools.javac.code.Symbol;
import io.teardownguard.errorprone.matchers.Linger;
import io.teardownguard.errorprone.matchers.Reachability;
import io.teardownguard.errorprone.matchers.SocketEvent;
import io.teardownguard.errorprone.matchers.SocketFlow;
import io.teardownguard.model.rules.RuleText;
import java.util.Set;
import javax.inject.Inject;

/**
 * Flags a positive SO_LINGER where the close will block a thread that must not block. With
 * SO_LINGER &gt; 0, close() waits while the FIN is unacknowledged, up to the linger time, whatever
 * O_NONBLOCK says ({@code inet_release()} passes {@code sk_lingertime} to
 * {@code sk_stream_wait_close()}), and on timeout returns 0 with no RST and no error: the wait
 * proves nothing. Two shapes: the linger is set on a connection of a selector loop (non-blocking,
 * registered, from a {@code SelectionKey}, or in a method that selects), where a registered
 * channel's close turns the linger off anyway
 * ({@code SocketChannelImpl.implCloseNonBlockingMode()}) and an unregistered one stalls the loop;
 * or the same method closes the connection right after setting it.
 *
 * <p>Silent for a linger that is off, zero ({@link AbortiveClose}) or not a compile-time constant,
 * and for a connection rebound in the method. The fix offered is {@code @SuppressWarnings}:
 * removing the linger changes when close() returns, the author's decision.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = RuleText.BLOCKING_LINGER_CLOSE_SUMMARY,
    severity = WARNING,
    link = CheckDocs.BASE + "BlockingLingerClose.md",
    linkType = CUSTOM)
public final class BlockingLingerClose extends DocumentedCheck
    implements MethodTreeMatcher, MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** Instantiates a new {@link BlockingLingerClose} instance, linking to the project's page. */
  public BlockingLingerClose() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Instantiates a new {@link BlockingLingerClose} instance.
   *
   * @param flags Error Prone's flags; {@code -XepOpt:TeardownGuard:DocsBase} sets where the link
   *     in a diagnostic points
   */
  @Inject
  BlockingLingerClose(ErrorProneFlags flags) {
    super(flags);
  }

  /**
   * Netty 3's {@code setOption("child.soLinger", n)} with n &gt; 0: its NIO worker closes each
   * channel on the I/O thread ({@code AbstractNioWorker.close()}), which then blocks every other
   * channel of that worker for up to n seconds (ZOOKEEPER-1238). Netty 4 is silent: it closes a
   * channel with a positive SO_LINGER off the event loop ({@code NioSocketChannel.prepareToClose()}
   * returns {@code GlobalEventExecutor}).
   */
  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    Linger.Value linger = Linger.ofFrameworkOption(tree, state);
    if (linger == null || linger.seconds() == null || linger.seconds() <= 0
        || !Linger.isNetty3(tree)) {
      return Description.NO_MATCH;
    }
    return buildDescription(tree)
        .setMessage(String.format("SO_LINGER %d s on every channel of a Netty 3 bootstrap: its I/O"
            + " worker closes each channel itself and blocks, with all its other channels, until"
            + " the peer acknowledges or the linger runs out. Leave SO_LINGER off.",
            linger.seconds()))
        .addFix(SuggestedFixes.addSuppressWarnings(state, canonicalName()))
        .build();
  }

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    SocketFlow flow = SocketFlow.of(state.getPath(), state);
    for (Symbol connection : flow.singleConnections()) {
      for (SocketEvent linger : flow.events(connection)) {
        if (linger.kind() != SET_LINGER || linger.lingerSeconds() == null
            || linger.lingerSeconds() <= 0) {
          continue;
        }
        String problem = problem(flow, connection, linger);
        if (problem != null) {
          SuggestedFix suppress = SuggestedFixes.addSuppressWarnings(state, canonicalName());
          state.reportMatch(buildDescription(linger.tree())
              .setMessage(String.format("SO_LINGER %d s on `%s`: %s", linger.lingerSeconds(),
                  connection.getSimpleName(), problem))
              .addFix(suppress)
              .build());
          break;
        }
      }
    }
    return Description.NO_MATCH;
  }

  /** Why this linger blocks where it should not, or null if this method does not show it. */
  private static String problem(SocketFlow flow, Symbol connection, SocketEvent linger) {
    boolean selectorLoop = flow.has(connection, Set.of(NON_BLOCKING, REGISTER))
        || flow.fromSelectionKey(connection) || flow.selects();
    if (selectorLoop && !flow.composed(linger)) { // inside a called own method: reported there
      return "this connection belongs to a selector loop; a registered channel's close turns the"
          + " linger off, and any other close blocks the loop until the peer acknowledges."
          + " Leave SO_LINGER off and end the connection with shutdownOutput() and a read to EOF.";
    }
    for (SocketEvent close : flow.events(connection)) {
      if ((close.kind() == CLOSE || close.kind() == STREAM_CLOSE)
          && Reachability.reaches(linger, close)) {
        return "the close() below blocks this thread until the peer acknowledges everything, and"
            + " a timeout returns silently, without a reset or an error. To know the data"
            + " arrived, shutdownOutput() and wait for the peer's EOF (bounded by SO_TIMEOUT).";
      }
    }
    return null;
  }
}
