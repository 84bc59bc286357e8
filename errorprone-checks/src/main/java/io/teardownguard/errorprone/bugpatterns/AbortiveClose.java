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
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.fixes.SuggestedFixes;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import io.teardownguard.errorprone.matchers.Linger;
import io.teardownguard.errorprone.matchers.SocketEvent;
import io.teardownguard.errorprone.matchers.SocketFlow;
import io.teardownguard.errorprone.matchers.SocketMatchers;
import io.teardownguard.model.rules.RuleText;
import java.util.Set;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.jspecify.annotations.Nullable;

/**
 * Flags SO_LINGER set to 0 ({@code setSoLinger(true, 0)}, {@code setOption(SO_LINGER, 0)}): the
 * next close aborts the connection ({@code __tcp_close()} -> {@code tcp_disconnect()}, RFC 9293
 * 3.6): RST, the send queue discarded, and the peer reads "Connection reset". Silent for a
 * connection made and closed in one method that carries no data (an acceptor-unlocking or
 * port-probing connection), where the reset loses nothing, and where the code names the abort as
 * its intent: the call sits in a method named for it ({@code abort}, {@code fastCloseSock},
 * {@code hardClose}, {@code forceClose}, {@code reset...}, {@code ...Immediately}) or under an
 * {@code if} whose condition names it ({@code closeMode == CloseMode.IMMEDIATE}). Field runs found
 * those to be deliberate every time (docs/checks/field-results.md), so warning there is noise.
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
public final class AbortiveClose extends DocumentedCheck implements MethodInvocationTreeMatcher {
  private static final long serialVersionUID = 1L;

  /** Names that say a reset is wanted: an abort, an immediate, hard, fast or forced close. */
  private static final Pattern ABORT_INTENT =
      Pattern.compile("(?i)abort|immediate|hard_?close|fast_?close|force_?close|^reset|_reset|kill");

  /** Events after which a reset may lose data, or that hide what happens to the connection. */
  private static final Set<SocketEvent.Kind> DATA_OR_UNKNOWN =
      Set.of(PARTIAL_READ, DRAIN, WRITE, HANDOFF, ESCAPE, REBIND);

  /** Instantiates a new {@link AbortiveClose} instance, linking to the project's page. */
  public AbortiveClose() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Instantiates a new {@link AbortiveClose} instance.
   *
   * @param flags Error Prone's flags; {@code -XepOpt:TeardownGuard:DocsBase} sets where the link
   *     in a diagnostic points
   */
  @Inject
  AbortiveClose(ErrorProneFlags flags) {
    super(flags);
  }

  @Override
  public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
    Linger.Value linger = lingerSeconds(tree, state);
    if (linger == null || !linger.canBeZero()) {
      return Description.NO_MATCH; // not a linger call; off, positive, or never seen to be 0
    }
    if (carriesNoData(tree, state)) {
      return Description.NO_MATCH;
    }
    if (namesTheAbort(state) || AbortComments.documentTheAbort(state)) {
      return Description.NO_MATCH; // the author asked for the reset
    }
    Description.Builder description = buildDescription(tree)
        .addFix(SuggestedFixes.addSuppressWarnings(state, canonicalName()));
    if (linger.source() != null) {
      description.setMessage(String.format("SO_LINGER can be 0 here (%s): the close then resets"
          + " the connection (RST), the unsent data is discarded and the peer reads \"Connection"
          + " reset\". Leave SO_LINGER off, or make the abort explicit where it is wanted.",
          linger.source()));
    }
    return description.build();
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

  /**
   * True when the enclosing method's name, or the condition of an {@code if} whose then-branch
   * holds the call, names an abortive intent.
   */
  private static boolean namesTheAbort(VisitorState state) {
    Tree child = state.getPath().getLeaf();
    for (Tree enclosing : state.getPath().getParentPath()) {
      if (enclosing instanceof MethodTree method) {
        return ABORT_INTENT.matcher(method.getName()).find();
      }
      if (enclosing instanceof IfTree ifTree && ifTree.getThenStatement() == child
          && conditionNamesAbort(ifTree.getCondition())) {
        return true;
      }
      if (enclosing instanceof ClassTree) {
        return false;
      }
      child = enclosing;
    }
    return false;
  }

  private static boolean conditionNamesAbort(ExpressionTree condition) {
    Boolean found = new TreeScanner<Boolean, Void>() {
      @Override
      public Boolean visitIdentifier(IdentifierTree identifier, Void unused) {
        return ABORT_INTENT.matcher(identifier.getName()).find();
      }

      @Override
      public Boolean visitMemberSelect(MemberSelectTree select, Void unused) {
        return ABORT_INTENT.matcher(select.getIdentifier()).find() || super.visitMemberSelect(select, unused);
      }

      @Override
      public Boolean reduce(Boolean left, Boolean right) {
        return Boolean.TRUE.equals(left) || Boolean.TRUE.equals(right);
      }
    }.scan(condition, null);
    return Boolean.TRUE.equals(found);
  }

  private static Linger.@Nullable Value lingerSeconds(MethodInvocationTree tree,
      VisitorState state) {
    if (SocketMatchers.SET_SO_LINGER.matches(tree, state)) {
      return Linger.ofSetSoLinger(tree, state);
    }
    if (SocketMatchers.SET_OPTION.matches(tree, state)
        && Linger.isSoLinger(tree.getArguments().get(0))) {
      return Linger.ofOption(tree, state);
    }
    return Linger.ofFrameworkOption(tree, state);
  }
}
