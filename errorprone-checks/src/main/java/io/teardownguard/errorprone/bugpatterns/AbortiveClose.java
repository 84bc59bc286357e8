package io.teardownguard.errorprone.bugpatterns;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.CLOSE;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.DRAIN;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.ESCAPE;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.HANDOFF;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.PARTIAL_READ;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.REBIND;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.WRITE;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import io.teardownguard.errorprone.matchers.Linger;
import io.teardownguard.errorprone.matchers.SocketEvent;
import io.teardownguard.errorprone.matchers.SocketFlow;
import io.teardownguard.errorprone.matchers.SocketMatchers;
import io.teardownguard.model.rules.RuleText;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Flags SO_LINGER set to 0 ({@code setSoLinger(true, 0)}, {@code setOption(SO_LINGER, 0)}): the
 * next close aborts the connection ({@code __tcp_close()} -> {@code tcp_disconnect()}, RFC 9293
 * 3.6): RST, the send queue discarded, and the peer reads "Connection reset". Silent for a
 * connection made and closed in one method that carries no data (an acceptor-unlocking or
 * port-probing connection), where the reset loses nothing.
 *
 * <p>The only fix offered is {@code @SuppressWarnings}: turning the linger off instead changes
 * what goes on the wire and who keeps TIME_WAIT, which some code wants; that is the author's
 * decision, explained on the check's page.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = RuleText.ABORTIVE_CLOSE_SUMMARY,
    severity = WARNING,
    link = CheckDocs.BASE + "AbortiveClose.md",
    linkType = CUSTOM)
public final class AbortiveClose extends BugChecker implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** Events after which a reset may lose data, or that hide what happens to the connection. */
  private static final Set<SocketEvent.Kind> DATA_OR_UNKNOWN =
      Set.of(PARTIAL_READ, DRAIN, WRITE, HANDOFF, ESCAPE, REBIND);

  /** Instantiates a new {@link AbortiveClose} instance. */
  public AbortiveClose() {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    Integer seconds = lingerSeconds(tree, state);
    if (seconds == null || seconds != 0) {
      return Description.NO_MATCH; // not a linger call, linger off, positive, or not constant
    }
    if (carriesNoData(tree, state)) {
      return Description.NO_MATCH;
    }
    return describeMatch(tree, SuggestedFixes.addSuppressWarnings(state, canonicalName()));
  }

  /**
   * True for a connection made, used and closed in this method without a byte read or written
   * (an acceptor-unlocking or port-probing connection): its reset discards nothing and no
   * application on the other side had anything in flight.
   */
  private static boolean carriesNoData(MethodInvocationTree tree, VisitorState state) {
    TreePath method = state.findPathToEnclosing(MethodTree.class);
    Symbol receiver = ASTHelpers.getSymbol(ASTHelpers.getReceiver(tree));
    if (method == null || receiver == null) {
      return false;
    }
    SocketFlow flow = SocketFlow.of(method, state);
    return flow.createdHere(receiver) && flow.has(receiver, Set.of(CLOSE))
        && !flow.has(receiver, DATA_OR_UNKNOWN);
  }

  @Nullable
  private static Integer lingerSeconds(MethodInvocationTree tree, VisitorState state) {
    if (SocketMatchers.SET_SO_LINGER.matches(tree, state)) {
      return Linger.ofSetSoLinger(tree);
    }
    if (SocketMatchers.SET_OPTION.matches(tree, state)
        && Linger.isSoLinger(tree.getArguments().get(0))) {
      return Linger.ofOption(tree);
    }
    return null;
  }
}
