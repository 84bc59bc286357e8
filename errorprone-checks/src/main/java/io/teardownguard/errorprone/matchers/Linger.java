package io.teardownguard.errorprone.matchers;

import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;

import com.google.errorprone.matchers.Matcher;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * The SO_LINGER time a call sets: 0 arms an abortive close ({@code __tcp_close()} ->
 * {@code tcp_disconnect()}), a positive time makes close() wait for the FIN's acknowledgement
 * ({@code sk_stream_wait_close()}), a negative one turns lingering off
 * ({@code Net.setSocketOption()}).
 *
 * <p>The time is a compile-time constant, or a value followed within the compilation unit: a
 * local or a field and every value assigned to it (its initializer, each assignment), a
 * parameter of a setter through the arguments of its calls, a getter that returns a field, and the
 * arithmetic that turns a configured time into seconds ({@code t / 1000}, {@code Math.min},
 * {@code Math.max}). When one of those values is 0 the time {@linkplain Value#canBeZero() can be
 * 0}, even if others are unknown (a field initialised to 0 stays 0 until something else is set;
 * {@code t / 1000} is 0 for any t under 1000 that the code does not rule out).
 */
public final class Linger {

  /** Linger off: {@code setSoLinger(false, n)} or a negative time. */
  public static final int OFF = -1;

  /** {@code Math.min(a, b)} and {@code Math.max(a, b)}, whatever the numeric type. */
  private static final Matcher<ExpressionTree> MIN_OR_MAX =
      staticMethod().onClass("java.lang.Math").namedAnyOf("min", "max");

  /** How far a value is followed through variables, setters and getters. */
  private static final int MAX_DEPTH = 4;

  private Linger() {}

  /**
   * A linger time as far as the code shows it.
   *
   * @param seconds the time when every value it can take is known and equal ({@link #OFF} for
   *     off); 0 when one of the values is 0; else null
   * @param source for a time that is not a constant at the call, where it comes from (for the
   *     message), else null
   */
  public record Value(@Nullable Integer seconds, @Nullable String source) {
    static final Value UNKNOWN = new Value(null, null);

    public boolean canBeZero() {
      return seconds != null && seconds == 0;
    }
  }

  /** {@code setSoLinger(on, seconds)}. */
  public static Value ofSetSoLinger(MethodInvocationTree call, VisitorState state) {
    Object on = ASTHelpers.constValue(call.getArguments().get(0));
    if (Boolean.FALSE.equals(on)) {
      return new Value(OFF, null);
    }
    // setSoLinger(on, 0) with a variable "on" still arms the abort whenever on is true
    return seconds(call.getArguments().get(1), state);
  }

  /** {@code setOption(SO_LINGER, seconds)}. */
  public static Value ofOption(MethodInvocationTree call, VisitorState state) {
    return seconds(call.getArguments().get(1), state);
  }

  /** True if {@code option} is {@code StandardSocketOptions.SO_LINGER}. */
  public static boolean isSoLinger(ExpressionTree option) {
    Symbol symbol = ASTHelpers.getSymbol(option);
    return symbol != null && symbol.getSimpleName().contentEquals("SO_LINGER")
        && symbol.owner.getQualifiedName().contentEquals("java.net.StandardSocketOptions");
  }

  /**
   * The linger a framework's bootstrap option sets, matched by type name so that the checks need
   * no framework on their class path: Netty 4's {@code option(ChannelOption.SO_LINGER, n)} and
   * {@code childOption(...)}, Netty 3's {@code setOption("soLinger" | "child.soLinger", n)}.
   * Null for any other call.
   */
  public static @Nullable Value ofFrameworkOption(MethodInvocationTree call, VisitorState state) {
    if (call.getArguments().size() != 2) {
      return null; // most calls: no symbol looked at
    }
    Symbol.MethodSymbol method = ASTHelpers.getSymbol(call);
    String owner = method.owner.getQualifiedName().toString();
    String name = method.getSimpleName().toString();
    ExpressionTree option = call.getArguments().get(0);
    if (owner.startsWith("io.netty.bootstrap.") && Set.of("option", "childOption").contains(name)) {
      Symbol symbol = ASTHelpers.getSymbol(option);
      if (symbol != null && symbol.getSimpleName().contentEquals("SO_LINGER")
          && symbol.owner.getQualifiedName().contentEquals("io.netty.channel.ChannelOption")) {
        return seconds(call.getArguments().get(1), state);
      }
    }
    if (owner.startsWith("org.jboss.netty.bootstrap.") && name.equals("setOption")
        && Set.of("soLinger", "child.soLinger").contains(ASTHelpers.constValue(option))) {
      return seconds(call.getArguments().get(1), state);
    }
    return null;
  }

  /** True for Netty 3 ({@code org.jboss.netty}), whose I/O thread runs a channel's close. */
  public static boolean isNetty3(MethodInvocationTree call) {
    return ASTHelpers.getSymbol(call).owner.getQualifiedName().toString()
        .startsWith("org.jboss.netty.");
  }

  private static Value seconds(ExpressionTree argument, VisitorState state) {
    List<Integer> values = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    boolean known = collect(argument, state, values, sources, 0);
    String source = sources.isEmpty() ? null : sources.get(0);
    if (values.contains(0)) {
      return new Value(0, sources.get(values.indexOf(0)));
    }
    if (known && !values.isEmpty() && values.stream().distinct().count() == 1) {
      return new Value(values.get(0) < 0 ? OFF : values.get(0), source);
    }
    return Value.UNKNOWN;
  }

  /**
   * Adds the values {@code expression} can take to {@code values}, with a description of where
   * each comes from; false if some value is unknown.
   */
  private static boolean collect(ExpressionTree expression, VisitorState state,
      List<Integer> values, List<String> sources, int depth) {
    ExpressionTree tree = SocketFlowScanner.strip(expression);
    Long constant = integral(tree);
    if (constant != null) {
      values.add(saturated(constant));
      sources.add(null); // named by the variable or setter that carries it, if any
      return true;
    }
    if (depth >= MAX_DEPTH) {
      return false;
    }
    if (tree.getKind() == Tree.Kind.DIVIDE) {
      return quotient((BinaryTree) tree, state, values, sources, depth);
    }
    if (tree instanceof MethodInvocationTree call && MIN_OR_MAX.matches(call, state)) {
      return minOrMax(call, state, values, sources, depth);
    }
    Symbol symbol = ASTHelpers.getSymbol(tree);
    if (tree instanceof MethodInvocationTree call && call.getArguments().isEmpty()) {
      MethodTree getter = declaration(symbol, state);
      ExpressionTree returned = getter == null ? null : returnedExpression(getter);
      return returned != null && collect(returned, state, values, sources, depth + 1);
    }
    if (!(tree instanceof IdentifierTree || tree instanceof MemberSelectTree) || symbol == null) {
      return false;
    }
    if (symbol.getKind() == ElementKind.PARAMETER) {
      return setterArguments(symbol, state, values, sources, depth);
    }
    if (symbol.getKind() != ElementKind.FIELD && symbol.getKind() != ElementKind.LOCAL_VARIABLE) {
      return false;
    }
    List<ExpressionTree> assigned = assignedValues(symbol, state);
    boolean known = !assigned.isEmpty();
    for (ExpressionTree value : assigned) {
      int before = values.size();
      known &= collect(value, state, values, sources, depth + 1);
      for (int i = before; i < values.size(); i++) {
        if (sources.get(i) == null) {
          sources.set(i, "`" + symbol.getSimpleName() + "`, which can be " + values.get(i));
        }
      }
    }
    if (symbol.getKind() == ElementKind.FIELD && symbol.type.isPrimitive()
        && declaredHere(symbol, state) && !initialisedOrSetInAConstructor(symbol, state)) {
      values.add(0); // an int field that only setters assign holds 0 until one is called
      sources.add("`" + symbol.getSimpleName() + "`, which is 0 until set");
    }
    return known;
  }

  /**
   * {@code dividend / divisor} for a constant divisor of 2 or more: integer division truncates,
   * so a dividend below the divisor gives 0. A dividend that is not known everywhere (a
   * configured time in milliseconds turned into SO_LINGER seconds, JGRP-883's
   * {@code linger_timeout / 1000}) can be below it, so the quotient can be 0.
   */
  private static boolean quotient(BinaryTree division, VisitorState state, List<Integer> values,
      List<String> sources, int depth) {
    Long divisor = integral(division.getRightOperand());
    if (divisor == null || divisor < 2) {
      return false;
    }
    List<Integer> dividends = new ArrayList<>();
    boolean known = collect(division.getLeftOperand(), state, dividends, new ArrayList<>(),
        depth + 1);
    boolean belowDivisor = !known || dividends.stream().anyMatch(v -> v >= 0 && v < divisor);
    for (int dividend : dividends) {
      if (dividend / divisor != 0) {
        values.add((int) (dividend / divisor));
        sources.add(null);
      }
    }
    if (belowDivisor) {
      values.add(0);
      sources.add(String.format("`%s`, which is 0 for a `%s` under %d",
          state.getSourceForNode(division), state.getSourceForNode(division.getLeftOperand()),
          divisor));
    }
    return known;
  }

  /**
   * {@code Math.min(a, b)} and {@code Math.max(a, b)} over every pair of the values the two
   * arguments can take: {@code Math.min(1, t / 1000)} keeps the quotient's 0,
   * {@code Math.max(1, t / 1000)} never is 0.
   */
  private static boolean minOrMax(MethodInvocationTree call, VisitorState state,
      List<Integer> values, List<String> sources, int depth) {
    boolean min = ASTHelpers.getSymbol(call).getSimpleName().contentEquals("min");
    List<Integer> left = new ArrayList<>();
    List<String> leftSources = new ArrayList<>();
    List<Integer> right = new ArrayList<>();
    List<String> rightSources = new ArrayList<>();
    boolean known = collect(call.getArguments().get(0), state, left, leftSources, depth + 1)
        & collect(call.getArguments().get(1), state, right, rightSources, depth + 1);
    for (int i = 0; i < left.size(); i++) {
      for (int j = 0; j < right.size(); j++) {
        boolean leftWins = min ? left.get(i) <= right.get(j) : left.get(i) >= right.get(j);
        values.add(leftWins ? left.get(i) : right.get(j));
        sources.add(leftWins ? leftSources.get(i) : rightSources.get(j));
      }
    }
    return known;
  }

  /** The value of an integral constant ({@code int}, {@code long}, ...), else null. */
  private static @Nullable Long integral(ExpressionTree tree) {
    Object constant = ASTHelpers.constValue(tree);
    return constant instanceof Integer || constant instanceof Long || constant instanceof Short
        || constant instanceof Byte ? ((Number) constant).longValue() : null;
  }

  private static int saturated(long value) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }

  /** The arguments that calls in this compilation unit pass for the setter parameter. */
  private static boolean setterArguments(Symbol parameter, VisitorState state,
      List<Integer> values, List<String> sources, int depth) {
    Symbol setter = parameter.owner;
    MethodTree declaration = declaration(setter, state);
    if (declaration == null) {
      return false;
    }
    int index = -1;
    for (int i = 0; i < declaration.getParameters().size(); i++) {
      if (ASTHelpers.getSymbol(declaration.getParameters().get(i)) == parameter) {
        index = i;
      }
    }
    int position = index;
    List<ExpressionTree> arguments = new ArrayList<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        if (ASTHelpers.getSymbol(call) == setter && position >= 0
            && position < call.getArguments().size()) {
          arguments.add(call.getArguments().get(position));
        }
        return super.visitMethodInvocation(call, null);
      }
    }.scan(state.getPath().getCompilationUnit(), null);
    boolean known = !arguments.isEmpty();
    for (ExpressionTree argument : arguments) {
      int before = values.size();
      known &= collect(argument, state, values, sources, depth + 1);
      for (int i = before; i < values.size(); i++) {
        if (sources.get(i) == null) {
          sources.set(i, "`" + setter.getSimpleName() + "(" + values.get(i) + ")`");
        }
      }
    }
    return known;
  }

  /** The initializer and every value assigned to {@code variable} in this compilation unit. */
  private static List<ExpressionTree> assignedValues(Symbol variable, VisitorState state) {
    List<ExpressionTree> assigned = new ArrayList<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree declaration, Void unused) {
        if (ASTHelpers.getSymbol(declaration) == variable && declaration.getInitializer() != null) {
          assigned.add(declaration.getInitializer());
        }
        return super.visitVariable(declaration, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree assignment, Void unused) {
        if (ASTHelpers.getSymbol(assignment.getVariable()) == variable) {
          assigned.add(assignment.getExpression());
        }
        return super.visitAssignment(assignment, null);
      }
    }.scan(state.getPath().getCompilationUnit(), null);
    return assigned;
  }

  /** True if {@code field} is declared in this compilation unit (else its writes are unseen). */
  private static boolean declaredHere(Symbol field, VisitorState state) {
    boolean[] found = new boolean[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree declaration, Void unused) {
        found[0] |= ASTHelpers.getSymbol(declaration) == field;
        return super.visitVariable(declaration, null);
      }
    }.scan(state.getPath().getCompilationUnit(), null);
    return found[0];
  }

  /** True if {@code field} has an initializer, or a constructor assigns it. */
  private static boolean initialisedOrSetInAConstructor(Symbol field, VisitorState state) {
    boolean[] found = new boolean[1];
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree declaration, Void unused) {
        found[0] |= ASTHelpers.getSymbol(declaration) == field
            && declaration.getInitializer() != null;
        return super.visitVariable(declaration, null);
      }

      @Override
      public Void visitAssignment(AssignmentTree assignment, Void unused) {
        if (ASTHelpers.getSymbol(assignment.getVariable()) == field) {
          MethodTree method = findEnclosing(getCurrentPath());
          found[0] |= method != null && ASTHelpers.getSymbol(method).isConstructor();
        }
        return super.visitAssignment(assignment, null);
      }
    }.scan(state.getPath().getCompilationUnit(), null);
    return found[0];
  }

  @Nullable
  private static MethodTree findEnclosing(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (p.getLeaf() instanceof MethodTree method) {
        return method;
      }
    }
    return null;
  }

  @Nullable
  private static MethodTree declaration(@Nullable Symbol method, VisitorState state) {
    if (method == null) {
      return null;
    }
    MethodTree[] found = new MethodTree[1];
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethod(MethodTree tree, Void unused) {
        if (ASTHelpers.getSymbol(tree) == method) {
          found[0] = tree;
        }
        return super.visitMethod(tree, null);
      }
    }.scan(state.getPath().getCompilationUnit(), null);
    return found[0];
  }

  /** For a method whose body is {@code return x;}, x. */
  @Nullable
  private static ExpressionTree returnedExpression(MethodTree method) {
    List<? extends StatementTree> body =
        method.getBody() == null ? List.of() : method.getBody().getStatements();
    return body.size() == 1 && body.get(0) instanceof ReturnTree returned
        ? returned.getExpression() : null;
  }
}
