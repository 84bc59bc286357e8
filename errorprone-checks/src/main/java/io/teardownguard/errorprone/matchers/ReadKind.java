package io.teardownguard.errorprone.matchers;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a read stops before end of stream.
 *
 * <p>Outside a loop, a read whose result is ignored, kept, or tested for end of stream by a guard
 * that leaves the method on end of stream (so the code after it runs only when the peer had sent
 * more) is partial; one tested in any other way for end of stream (-1, null, {@code < 0}) may be
 * the last. Only a comparison of the read's result with its end-of-stream value is such a test:
 * {@code "OK " + line} or {@code "413 " + n} use the value, they do not test it.
 *
 * <p>In a loop, what counts is how the loop ends. It reads to end of stream when its only exits
 * that look at what was read are end-of-stream tests (-1, null, 0, {@code hasNext()} false, an
 * {@code EOFException} caught). It stops early when an exit looks for a delimiter (an empty line:
 * the end of HTTP headers; a line-feed or NUL byte), or when it is a counted {@code for} with no
 * end-of-stream exit ({@code for (i = 0; i < 4; i++) readInt()}): what follows stays unread.
 * Loops that end on anything else (a flag, a command such as {@code QUIT}) are taken as drains:
 * the check cannot tell, so it stays silent.
 */
final class ReadKind {

  /** Scanner's end-of-input tests: a loop on them reads to end of stream. */
  private static final Set<String> HAS_NEXT = Set.of("hasNext", "hasNextLine", "hasNextInt",
      "hasNextLong", "hasNextByte", "hasNextShort", "hasNextDouble", "hasNextFloat",
      "hasNextBoolean", "hasNextBigInteger", "hasNextBigDecimal");

  /** Calls that ask whether a line is the empty one that ends a header block. */
  private static final Set<String> EMPTY_LINE_TESTS =
      Set.of("isEmpty", "isBlank", "length", "equals", "contentEquals");

  /** How one exit of a loop relates to the value read. */
  private enum Exit { END_OF_STREAM, DELIMITER, OTHER }

  private ReadKind() {}

  /**
   * The kind of the read at {@code read} in the method at {@code methodPath}; {@code connection}
   * is the connection read from (a loop that also declares it is a per-connection loop, such as
   * an accept loop, not a read loop).
   */
  static SocketEvent.Kind of(TreePath read, TreePath methodPath, Symbol connection) {
    MethodTree method = (MethodTree) methodPath.getLeaf();
    TreePath usage = read.getParentPath();
    while (usage.getLeaf() instanceof ParenthesizedTree) {
      usage = usage.getParentPath();
    }
    Symbol result = resultVariable(usage);
    TreePath loop = enclosingReadLoop(read, method, connection);
    if (loop != null) {
      return ofLoop(read, loop, result);
    }
    Tree parent = usage.getLeaf();
    if (parent instanceof AssignmentTree) {
      TreePath above = usage.getParentPath();
      while (above.getLeaf() instanceof ParenthesizedTree) {
        above = above.getParentPath();
      }
      if (above.getLeaf() instanceof BinaryTree comparison) {
        usage = above;
        parent = comparison; // if ((n = in.read(buffer)) < 0) ...
      }
    }
    if (parent instanceof ExpressionStatementTree && result == null) {
      return SocketEvent.Kind.PARTIAL_READ;
    }
    if (parent instanceof BinaryTree comparison && isEndOfStreamTest(comparison)) {
      return guardLeavesOnEof(comparison, usage) ? SocketEvent.Kind.PARTIAL_READ
          : SocketEvent.Kind.DRAIN;
    }
    if (result != null) {
      return everyTestLeavesOnEof(result, methodPath) ? SocketEvent.Kind.PARTIAL_READ
          : SocketEvent.Kind.DRAIN;
    }
    return SocketEvent.Kind.PARTIAL_READ;
  }

  /**
   * True if {@code at} runs only where one of {@code reads} found end of stream: it lies in the
   * arm of an {@code if} that the read's end-of-stream test selects ({@code if (n == -1) {
   * close(); }}, or the else of {@code if (line != null)}). The input is then at its end: the
   * peer sent its FIN and nothing after it, so nothing is unread there, whatever was read before.
   */
  static boolean onlyAtEndOfStream(TreePath at, List<TreePath> reads) {
    Tree child = at.getLeaf();
    for (TreePath p = at.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree || leaf instanceof ClassTree
          || leaf instanceof LambdaExpressionTree) {
        return false;
      }
      if (leaf instanceof IfTree ifTree && child != ifTree.getCondition()) {
        ExpressionTree condition = ifTree.getCondition();
        while (condition instanceof ParenthesizedTree parenthesized) {
          condition = parenthesized.getExpression();
        }
        if (condition instanceof BinaryTree comparison
            && eofWhenTrue(comparison) instanceof Boolean eof
            && eof == (child == ifTree.getThenStatement())
            && testsOneOf(sentinelOperand(comparison), reads)) {
          return true;
        }
      }
      child = leaf;
    }
    return false;
  }

  private static boolean testsOneOf(ExpressionTree operand, List<TreePath> reads) {
    for (TreePath read : reads) {
      TreePath usage = read.getParentPath();
      while (usage.getLeaf() instanceof ParenthesizedTree) {
        usage = usage.getParentPath();
      }
      if (isTheRead(operand, read.getLeaf(), resultVariable(usage))) {
        return true;
      }
    }
    return false;
  }

  /** The variable the read's value goes to ({@code String line = ...}, {@code n = ...}). */
  @Nullable
  private static Symbol resultVariable(TreePath usage) {
    Tree parent = usage.getLeaf();
    if (parent instanceof VariableTree variable) {
      return ASTHelpers.getSymbol(variable);
    }
    if (parent instanceof AssignmentTree assignment) {
      return ASTHelpers.getSymbol(assignment.getVariable());
    }
    return null;
  }

  /** The innermost loop around the read that is not also the connection's own loop, or null. */
  @Nullable
  private static TreePath enclosingReadLoop(TreePath read, MethodTree method, Symbol connection) {
    for (TreePath p = read; p != null && p.getLeaf() != method; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof LambdaExpressionTree || leaf instanceof ClassTree) {
        return null;
      }
      if (isLoop(leaf) && !declares(leaf, connection)) {
        return p;
      }
    }
    return null;
  }

  private static boolean isLoop(Tree tree) {
    return tree instanceof WhileLoopTree || tree instanceof DoWhileLoopTree
        || tree instanceof ForLoopTree || tree instanceof EnhancedForLoopTree;
  }

  private static boolean declares(Tree tree, Symbol variable) {
    Boolean found = new TreeScanner<Boolean, Void>() {
      @Override
      public Boolean visitVariable(VariableTree declaration, Void unused) {
        return ASTHelpers.getSymbol(declaration) == variable
            || Boolean.TRUE.equals(super.visitVariable(declaration, null));
      }

      @Override
      public Boolean reduce(Boolean left, Boolean right) {
        return Boolean.TRUE.equals(left) || Boolean.TRUE.equals(right);
      }
    }.scan(tree, null);
    return Boolean.TRUE.equals(found);
  }

  private static SocketEvent.Kind ofLoop(TreePath read, TreePath loopPath,
      @Nullable Symbol result) {
    Tree loop = loopPath.getLeaf();
    if (loop instanceof EnhancedForLoopTree) {
      return SocketEvent.Kind.DRAIN; // over lines() or a collection: cannot tell
    }
    if (caughtEndOfStream(read)) {
      return SocketEvent.Kind.DRAIN; // while (true) readInt() until EOFException
    }
    List<ExpressionTree> exits = new ArrayList<>();
    ExpressionTree condition = condition(loop);
    if (condition != null) {
      exits.add(condition);
    }
    exits.addAll(guardsOfJumps(loopPath));
    boolean endOfStream = false;
    for (ExpressionTree exit : exits) {
      for (ExpressionTree atom : atoms(exit)) {
        Exit kind = classify(atom, read.getLeaf(), result);
        if (kind == Exit.DELIMITER) {
          return SocketEvent.Kind.PARTIAL_READ; // headers until the blank line, and the body?
        }
        endOfStream |= kind == Exit.END_OF_STREAM;
      }
    }
    if (!endOfStream && loop instanceof ForLoopTree && condition != null) {
      return SocketEvent.Kind.PARTIAL_READ; // a count of reads, never a test for the end
    }
    return SocketEvent.Kind.DRAIN;
  }

  @Nullable
  private static ExpressionTree condition(Tree loop) {
    if (loop instanceof WhileLoopTree whileLoop) {
      return whileLoop.getCondition();
    }
    if (loop instanceof DoWhileLoopTree doWhile) {
      return doWhile.getCondition();
    }
    return ((ForLoopTree) loop).getCondition();
  }

  /**
   * The conditions of the {@code if}s that guard each way out of the loop: a {@code break} of
   * this loop, a {@code return} or a {@code throw} in its body.
   */
  private static List<ExpressionTree> guardsOfJumps(TreePath loopPath) {
    List<ExpressionTree> guards = new ArrayList<>();
    Tree loop = loopPath.getLeaf();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitBreak(BreakTree jump, Void unused) {
        if (jump.getLabel() != null || breaksThisLoop(getCurrentPath(), loop)) {
          addGuard(getCurrentPath());
        }
        return null;
      }

      @Override
      public Void visitReturn(ReturnTree jump, Void unused) {
        addGuard(getCurrentPath());
        return super.visitReturn(jump, null);
      }

      @Override
      public Void visitThrow(ThrowTree jump, Void unused) {
        addGuard(getCurrentPath());
        return super.visitThrow(jump, null);
      }

      @Override
      public Void visitClass(ClassTree nested, Void unused) {
        return null;
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree nested, Void unused) {
        return null;
      }

      private void addGuard(TreePath jump) {
        for (TreePath p = jump; p != null && p.getLeaf() != loop; p = p.getParentPath()) {
          if (p.getLeaf() instanceof IfTree ifTree) {
            guards.add(ifTree.getCondition());
            return;
          }
        }
      }
    }.scan(loopPath, null);
    return guards;
  }

  /** True if an unlabelled break at {@code jump} leaves {@code loop}, not a nested one. */
  private static boolean breaksThisLoop(TreePath jump, Tree loop) {
    for (TreePath p = jump.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf == loop) {
        return true;
      }
      if (isLoop(leaf) || leaf instanceof SwitchTree) {
        return false;
      }
    }
    return false;
  }

  /** The operands of {@code &&}, {@code ||} and {@code !}, down to the single tests. */
  private static List<ExpressionTree> atoms(ExpressionTree condition) {
    List<ExpressionTree> atoms = new ArrayList<>();
    ExpressionTree tree = condition;
    while (tree instanceof ParenthesizedTree parenthesized) {
      tree = parenthesized.getExpression();
    }
    if (tree instanceof BinaryTree binary && (binary.getKind() == Tree.Kind.CONDITIONAL_AND
        || binary.getKind() == Tree.Kind.CONDITIONAL_OR)) {
      atoms.addAll(atoms(binary.getLeftOperand()));
      atoms.addAll(atoms(binary.getRightOperand()));
    } else if (tree instanceof UnaryTree not && not.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
      atoms.addAll(atoms(not.getExpression()));
    } else {
      atoms.add(tree);
    }
    return atoms;
  }

  private static Exit classify(ExpressionTree atom, Tree read, @Nullable Symbol result) {
    if (atom instanceof MethodInvocationTree call
        && HAS_NEXT.contains(ASTHelpers.getSymbol(call).getSimpleName().toString())) {
      return Exit.END_OF_STREAM;
    }
    if (atom instanceof BinaryTree comparison && sentinelOperand(comparison) != null
        && isTheRead(sentinelOperand(comparison), read, result)) {
      return Exit.END_OF_STREAM; // (line = readLine()) != null, n < 0, n > 0
    }
    if (mentions(atom, read, result) && (testsForEmptyLine(atom, read, result)
        || comparesWithCharacter(atom))) {
      return Exit.DELIMITER;
    }
    return Exit.OTHER;
  }

  /** line.isEmpty(), line.length() == 0, "".equals(line), line.trim().isEmpty(). */
  private static boolean testsForEmptyLine(ExpressionTree atom, Tree read,
      @Nullable Symbol result) {
    ExpressionTree tree = atom;
    if (tree instanceof BinaryTree comparison && sentinelOperand(comparison) != null) {
      tree = sentinelOperand(comparison);
    }
    if (!(tree instanceof MethodInvocationTree call)) {
      return false;
    }
    String name = ASTHelpers.getSymbol(call).getSimpleName().toString();
    if (!EMPTY_LINE_TESTS.contains(name)) {
      return false;
    }
    if (name.equals("equals") || name.equals("contentEquals")) {
      return call.getArguments().size() == 1
          && (isEmptyString(call.getArguments().get(0))
              || isEmptyString(ASTHelpers.getReceiver(call)));
    }
    return mentions(ASTHelpers.getReceiver(call), read, result);
  }

  private static boolean isEmptyString(@Nullable ExpressionTree tree) {
    return tree instanceof LiteralTree literal && "".equals(literal.getValue());
  }

  /** {@code b == '\n'}, {@code c != '\r'}: a byte or character that ends a record. */
  private static boolean comparesWithCharacter(ExpressionTree atom) {
    return atom instanceof BinaryTree comparison
        && (comparison.getKind() == Tree.Kind.EQUAL_TO
            || comparison.getKind() == Tree.Kind.NOT_EQUAL_TO)
        && (isCharLiteral(comparison.getLeftOperand())
            || isCharLiteral(comparison.getRightOperand()));
  }

  private static boolean isCharLiteral(ExpressionTree tree) {
    return tree instanceof LiteralTree literal && literal.getValue() instanceof Character;
  }

  /** The read itself, or its result variable (an assignment to it included). */
  private static boolean isTheRead(ExpressionTree operand, Tree read, @Nullable Symbol result) {
    ExpressionTree tree = operand;
    while (tree instanceof ParenthesizedTree parenthesized) {
      tree = parenthesized.getExpression();
    }
    if (tree == read) {
      return true;
    }
    if (tree instanceof AssignmentTree assignment) {
      return assignment.getExpression() == read
          || (result != null && ASTHelpers.getSymbol(assignment.getVariable()) == result);
    }
    return result != null && tree instanceof IdentifierTree
        && ASTHelpers.getSymbol(tree) == result;
  }

  private static boolean mentions(@Nullable Tree tree, Tree read, @Nullable Symbol result) {
    Boolean found = new TreeScanner<Boolean, Void>() {
      @Override
      public Boolean scan(Tree node, Void unused) {
        return node == read || Boolean.TRUE.equals(super.scan(node, null));
      }

      @Override
      public Boolean visitIdentifier(IdentifierTree identifier, Void unused) {
        return result != null && ASTHelpers.getSymbol(identifier) == result;
      }

      @Override
      public Boolean reduce(Boolean left, Boolean right) {
        return Boolean.TRUE.equals(left) || Boolean.TRUE.equals(right);
      }
    }.scan(tree, null);
    return Boolean.TRUE.equals(found);
  }

  /** True if the read sits in a {@code try} that catches {@code EOFException}: it reads to that. */
  private static boolean caughtEndOfStream(TreePath read) {
    for (TreePath p = read; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof TryTree tryTree && isInside(read, tryTree.getBlock())) {
        for (CatchTree caught : tryTree.getCatches()) {
          if (caught.getParameter().getType().toString().endsWith("EOFException")) {
            return true;
          }
        }
      }
      if (p.getLeaf() instanceof MethodTree) {
        return false;
      }
    }
    return false;
  }

  private static boolean isInside(TreePath path, Tree ancestor) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() == ancestor) {
        return true;
      }
    }
    return false;
  }

  /** Every end-of-stream test of {@code variable} is a guard that leaves on end of stream. */
  private static boolean everyTestLeavesOnEof(Symbol variable, TreePath methodPath) {
    MethodTree method = (MethodTree) methodPath.getLeaf();
    List<TreePath> tests = new ArrayList<>();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        TreePath parent = getCurrentPath().getParentPath();
        if (ASTHelpers.getSymbol(identifier) == variable
            && parent.getLeaf() instanceof BinaryTree comparison
            && isEndOfStreamTest(comparison)) {
          tests.add(parent);
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

  /** A comparison with -1, 0 or null: the only shape of a test for end of stream. */
  private static boolean isEndOfStreamTest(BinaryTree comparison) {
    return sentinelOperand(comparison) != null;
  }

  /** For a comparison with -1, 0 or null, the other operand; else null. */
  @Nullable
  private static ExpressionTree sentinelOperand(BinaryTree comparison) {
    switch (comparison.getKind()) {
      case EQUAL_TO, NOT_EQUAL_TO, LESS_THAN, LESS_THAN_EQUAL, GREATER_THAN, GREATER_THAN_EQUAL -> {
        if (sentinel(comparison.getRightOperand()) != null) {
          return comparison.getLeftOperand();
        }
        return sentinel(comparison.getLeftOperand()) != null ? comparison.getRightOperand() : null;
      }
      default -> {
        return null;
      }
    }
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
  @Nullable
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
  @Nullable
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
