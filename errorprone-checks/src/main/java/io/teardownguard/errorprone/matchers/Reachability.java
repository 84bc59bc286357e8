package io.teardownguard.errorprone.matchers;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.TreePath;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether one event can be followed by another on some path through a method, judged on the
 * structure of the code alone: source order, the arms of an {@code if}, {@code switch} or {@code
 * ?:}, {@code catch} and {@code finally} blocks, and statements that leave a block. Loops are read
 * once, in order (no back edge), which can only make a check miss, never report.
 */
public final class Reachability {

  private Reachability() {}

  /** True if {@code later} may run after {@code earlier} in one execution of the method. */
  public static boolean reaches(SocketEvent earlier, SocketEvent later) {
    TreePath from = earlier.path();
    if (later.closedAtEndOf() != null) {
      // A try-with-resources close runs on every way out of its block, jumps included.
      return isInside(from, later.closedAtEndOf().getBlock())
          || (earlier.closedAtEndOf() == null && isInsideResources(from, later.closedAtEndOf()));
    }
    if (earlier.closedAtEndOf() != null && isInside(later.path(), earlier.closedAtEndOf())) {
      return false;
    }
    return flowsTo(from, later.path());
  }

  private static boolean flowsTo(TreePath from, TreePath to) {
    if (ASTHelpers.getStartPosition(from.getLeaf()) >= ASTHelpers.getStartPosition(to.getLeaf())) {
      return false;
    }
    List<Tree> fromChain = ancestors(from);
    List<Tree> toChain = ancestors(to);
    int common = 0;
    while (common < fromChain.size() && common < toChain.size()
        && fromChain.get(common) == toChain.get(common)) {
      common++;
    }
    if (common == 0 || common == fromChain.size() || common == toChain.size()) {
      return false; // one contains the other: not two events in sequence
    }
    Tree lca = fromChain.get(common - 1);
    Tree fromBranch = fromChain.get(common);
    Tree toBranch = toChain.get(common);
    if (lca instanceof IfTree || lca instanceof ConditionalExpressionTree) {
      // then-arm and else-arm exclude each other; the condition runs before either.
      Tree condition = lca instanceof IfTree ifTree ? ifTree.getCondition()
          : ((ConditionalExpressionTree) lca).getCondition();
      if (fromBranch != condition) {
        return false;
      }
    }
    if (fromBranch instanceof CaseTree && toBranch instanceof CaseTree) {
      return false; // two cases of one switch
    }
    if (lca instanceof TryTree tryTree) {
      if (toBranch == tryTree.getFinallyBlock()) {
        return true; // finally runs after the block and every catch, whatever they do
      }
      if (fromBranch != tryTree.getBlock() && !tryTree.getResources().contains(fromBranch)) {
        return false; // from one catch to another
      }
    }
    return !leavesBefore(fromChain, common);
  }

  /**
   * True if, in a block strictly between the event and the common ancestor, a statement after the
   * event's own statement leaves that block (return, throw, break, continue, yield).
   */
  private static boolean leavesBefore(List<Tree> chain, int common) {
    for (int i = chain.size() - 2; i >= common; i--) {
      if (chain.get(i) instanceof BlockTree block && i + 1 < chain.size()) {
        List<? extends StatementTree> statements = block.getStatements();
        int index = statements.indexOf(chain.get(i + 1));
        for (int next = index + 1; index >= 0 && next < statements.size(); next++) {
          if (isJump(statements.get(next))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean isJump(StatementTree statement) {
    return statement instanceof ReturnTree || statement instanceof ThrowTree
        || statement instanceof BreakTree || statement instanceof ContinueTree
        || statement instanceof YieldTree;
  }

  /** True if the last statement of {@code tree} (a block or a statement) always leaves it. */
  public static boolean alwaysJumps(StatementTree tree) {
    if (tree instanceof BlockTree block) {
      List<? extends StatementTree> statements = block.getStatements();
      return !statements.isEmpty() && alwaysJumps(statements.get(statements.size() - 1));
    }
    return isJump(tree);
  }

  private static boolean isInside(TreePath path, Tree ancestor) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() == ancestor) {
        return true;
      }
    }
    return false;
  }

  private static boolean isInsideResources(TreePath path, TryTree tryTree) {
    for (Tree resource : tryTree.getResources()) {
      if (isInside(path, resource)) {
        return true;
      }
    }
    return false;
  }

  private static List<Tree> ancestors(TreePath path) {
    List<Tree> chain = new ArrayList<>();
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      chain.add(0, p.getLeaf());
    }
    return chain;
  }
}
