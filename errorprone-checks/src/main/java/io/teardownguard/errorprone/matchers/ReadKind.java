package io.teardownguard.errorprone.matchers;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Symbol;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a single read stops before end of stream. Only one shape counts as partial: a
 * read outside any loop whose result is ignored, kept, or tested for end of stream by a guard
 * that leaves the method on end of stream (so the code after it runs only when the peer had sent
 * more). A read in a loop, or tested in any other way, may well go on to -1: a drain.
 */
final class ReadKind {

  private ReadKind() {}

  static SocketEvent.Kind of(TreePath read, TreePath methodPath) {
    MethodTree method = (MethodTree) methodPath.getLeaf();
    TreePath usage = read.getParentPath();
    while (usage.getLeaf() instanceof ParenthesizedTree) {
      usage = usage.getParentPath();
    }
    if (inLoop(read, method)) {
      return SocketEvent.Kind.DRAIN;
    }
    Tree parent = usage.getLeaf();
    if (parent instanceof ExpressionStatementTree) {
      return SocketEvent.Kind.PARTIAL_READ;
    }
    if (parent instanceof BinaryTree comparison) {
      return guardLeavesOnEof(comparison, usage) ? SocketEvent.Kind.PARTIAL_READ
          : SocketEvent.Kind.DRAIN;
    }
    if (parent instanceof VariableTree variable) {
      return everyTestLeavesOnEof(ASTHelpers.getSymbol(variable), methodPath)
          ? SocketEvent.Kind.PARTIAL_READ : SocketEvent.Kind.DRAIN;
    }
    return SocketEvent.Kind.PARTIAL_READ;
  }

  private static boolean inLoop(TreePath path, MethodTree method) {
    for (TreePath p = path; p != null && p.getLeaf() != method; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof WhileLoopTree || leaf instanceof DoWhileLoopTree
          || leaf instanceof ForLoopTree || leaf instanceof EnhancedForLoopTree) {
        return true;
      }
    }
    return false;
  }

  /** Every test of {@code variable} is a guard that leaves on end of stream (or there is none). */
  private static boolean everyTestLeavesOnEof(Symbol variable, TreePath methodPath) {
    MethodTree method = (MethodTree) methodPath.getLeaf();
    List<TreePath> tests = new ArrayList<>();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        if (ASTHelpers.getSymbol(identifier) == variable
            && getCurrentPath().getParentPath().getLeaf() instanceof BinaryTree) {
          tests.add(getCurrentPath().getParentPath());
        }
        return null;
      }
    }.scan(new TreePath(methodPath, method.getBody()), null);
    for (TreePath test : tests) {
      if (!guardLeavesOnEof((BinaryTree) test.getLeaf(), test)) {
        return false;
      }
    }
    return true;
  }

  /**
   * True for {@code if (x < 0) throw ...;} or {@code if (line == null) return;}: a comparison
   * with the end-of-stream value (-1 or null) that is the whole condition of an if without else
   * whose then-arm, taken on end of stream, always leaves.
   */
  private static boolean guardLeavesOnEof(BinaryTree comparison, TreePath path) {
    Boolean eofWhenTrue = eofWhenTrue(comparison);
    if (eofWhenTrue == null || !eofWhenTrue) {
      return false;
    }
    TreePath up = path.getParentPath();
    while (up.getLeaf() instanceof ParenthesizedTree) {
      up = up.getParentPath();
    }
    return up.getLeaf() instanceof IfTree ifTree && ifTree.getElseStatement() == null
        && Reachability.alwaysJumps(ifTree.getThenStatement());
  }

  /** True if the comparison holds exactly at end of stream, false if exactly not, else null. */
  private static Boolean eofWhenTrue(BinaryTree comparison) {
    Integer constant = sentinel(comparison.getRightOperand());
    boolean flipped = false;
    if (constant == null) {
      constant = sentinel(comparison.getLeftOperand());
      flipped = true;
    }
    if (constant == null) {
      return null;
    }
    Tree.Kind kind = comparison.getKind();
    if (flipped) {
      kind = switch (kind) {
        case LESS_THAN -> Tree.Kind.GREATER_THAN;
        case GREATER_THAN -> Tree.Kind.LESS_THAN;
        case LESS_THAN_EQUAL -> Tree.Kind.GREATER_THAN_EQUAL;
        case GREATER_THAN_EQUAL -> Tree.Kind.LESS_THAN_EQUAL;
        default -> kind;
      };
    }
    // constant is -1 (also standing for null) or 0
    return switch (kind) {
      case EQUAL_TO -> constant == -1 ? Boolean.TRUE : null;
      case NOT_EQUAL_TO -> constant == -1 ? Boolean.FALSE : null;
      case LESS_THAN -> constant == 0 ? Boolean.TRUE : null;
      case LESS_THAN_EQUAL -> constant == -1 ? Boolean.TRUE : null;
      case GREATER_THAN_EQUAL -> constant == 0 ? Boolean.FALSE : null;
      case GREATER_THAN -> constant == -1 ? Boolean.FALSE : null;
      default -> null;
    };
  }

  /** -1 for the literal -1 or null, 0 for 0, else null. */
  private static Integer sentinel(ExpressionTree operand) {
    if (operand instanceof LiteralTree literal) {
      Object value = literal.getValue();
      if (value == null) {
        return -1;
      }
      if (value instanceof Integer integer && (integer == 0 || integer == -1)) {
        return integer; // javac folds "-1" into one literal
      }
    }
    if (operand instanceof UnaryTree unary && unary.getKind() == Tree.Kind.UNARY_MINUS
        && unary.getExpression() instanceof LiteralTree literal
        && Integer.valueOf(1).equals(literal.getValue())) {
      return -1;
    }
    return null;
  }
}
