package io.teardownguard.errorprone.bugpatterns;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.sun.source.tree.MethodInvocationTree;
import io.teardownguard.errorprone.matchers.Linger;
import io.teardownguard.errorprone.matchers.SocketMatchers;
import io.teardownguard.model.rules.RuleText;
import org.jspecify.annotations.Nullable;

/**
 * Flags SO_LINGER set to 0 ({@code setSoLinger(true, 0)}, {@code setOption(SO_LINGER, 0)}): the
 * next close aborts the connection ({@code __tcp_close()} -> {@code tcp_disconnect()}, RFC 9293
 * 3.6): RST, the send queue discarded, and the peer reads "Connection reset".
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

  /** Instantiates a new {@link AbortiveClose} instance. */
  public AbortiveClose() {}

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    Integer seconds = lingerSeconds(tree, state);
    if (seconds == null || seconds != 0) {
      return Description.NO_MATCH; // not a linger call, linger off, positive, or not constant
    }
    return describeMatch(tree, SuggestedFixes.addSuppressWarnings(state, canonicalName()));
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
