package io.teardownguard.errorprone.matchers;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.tools.javac.code.Symbol;
import org.jspecify.annotations.Nullable;

/**
 * The SO_LINGER time a call sets, when it is a compile-time constant: 0 arms an abortive close
 * ({@code __tcp_close()} -> {@code tcp_disconnect()}), a positive time makes close() wait for the
 * FIN's acknowledgement ({@code sk_stream_wait_close()}), a negative one turns lingering off
 * ({@code Net.setSocketOption()}).
 */
public final class Linger {

  /** Linger off: {@code setSoLinger(false, n)} or a negative time. */
  public static final int OFF = -1;

  private Linger() {}

  /** {@code setSoLinger(on, seconds)}: the time, {@link #OFF}, or null if not constant. */
  @Nullable
  public static Integer ofSetSoLinger(MethodInvocationTree call) {
    Object on = ASTHelpers.constValue(call.getArguments().get(0));
    if (Boolean.FALSE.equals(on)) {
      return OFF;
    }
    return Boolean.TRUE.equals(on) ? seconds(call.getArguments().get(1)) : null;
  }

  /** {@code setOption(SO_LINGER, seconds)}: the time, {@link #OFF}, or null if not constant. */
  @Nullable
  public static Integer ofOption(MethodInvocationTree call) {
    return seconds(call.getArguments().get(1));
  }

  /** True if {@code option} is {@code StandardSocketOptions.SO_LINGER}. */
  public static boolean isSoLinger(ExpressionTree option) {
    Symbol symbol = ASTHelpers.getSymbol(option);
    return symbol != null && symbol.getSimpleName().contentEquals("SO_LINGER")
        && symbol.owner.getQualifiedName().contentEquals("java.net.StandardSocketOptions");
  }

  @Nullable
  private static Integer seconds(ExpressionTree argument) {
    Object value = ASTHelpers.constValue(argument);
    if (value instanceof Integer seconds) {
      return seconds < 0 ? OFF : seconds;
    }
    return null;
  }
}
