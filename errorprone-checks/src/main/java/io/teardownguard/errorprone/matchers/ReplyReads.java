package io.teardownguard.errorprone.matchers;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.tools.javac.code.Symbol;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads that take the whole of a reply whose length the code knows, after the method sent its
 * request: nothing of that reply is left unread, and a request-reply peer sends nothing more
 * until it gets the next request, so the close that follows leaves no unread data behind.
 *
 * <p>Two shapes only, both outside any guess about the protocol:
 *
 * <ul>
 *   <li>a {@code readFully} into an array whose length was itself read from the same connection
 *       ({@code int n = in.readInt(); byte[] key = new byte[n]; in.readFully(key);}): the
 *       length-prefixed field is read to the end the peer announced;
 *   <li>a {@code read} or {@code readFully} into an array of a constant length of at most
 *       {@link #PRIMITIVE_REPLY} bytes ({@code byte[] reply = new byte[4]; in.read(reply);}): the
 *       reply is one status word or number, not a chunk of a longer text (a {@code new
 *       byte[1024]} read once is such a chunk, and stays a read that stops before EOF).
 * </ul>
 *
 * <p>Both count only after a write of the request on the same connection in the method (the
 * client side of an exchange): a server that reads a request of a known length cannot tell from
 * its code that the client sends nothing after it.
 */
final class ReplyReads {

  /** The size of the largest primitive (a {@code long}): a reply that is one value. */
  static final int PRIMITIVE_REPLY = 8;

  /** Locals holding a value read from a connection: the length of what follows. */
  private final Map<Symbol, Symbol> lengthRead = new HashMap<>();
  /** Arrays sized by a length read from a connection, with that connection. */
  private final Map<Symbol, Symbol> replyBuffers = new HashMap<>();
  /** Arrays of a constant length of at most {@link #PRIMITIVE_REPLY} bytes. */
  private final Set<Symbol> constantBuffers = new HashSet<>();

  /**
   * Notes what {@code target} gets: a number read from {@code readFrom} (null when the value is
   * no read), or an array sized by such a number or by a small constant.
   */
  void note(Symbol target, @Nullable ExpressionTree value, @Nullable Symbol readFrom) {
    lengthRead.remove(target);
    replyBuffers.remove(target);
    constantBuffers.remove(target);
    if (readFrom != null) {
      lengthRead.put(target, readFrom);
      return;
    }
    if (!(SocketFlowScanner.strip(value) instanceof NewArrayTree array)
        || array.getDimensions().size() != 1) {
      return;
    }
    ExpressionTree size = SocketFlowScanner.strip(array.getDimensions().get(0));
    if (ASTHelpers.constValue(size) instanceof Integer constant && constant > 0
        && constant <= PRIMITIVE_REPLY) {
      constantBuffers.add(target);
    } else if (size instanceof IdentifierTree length
        && lengthRead.containsKey(ASTHelpers.getSymbol(length))) {
      replyBuffers.put(target, lengthRead.get(ASTHelpers.getSymbol(length)));
    }
  }

  /** True if {@code read}, a read of {@code connection}, takes the rest of a known reply. */
  boolean endsReply(MethodInvocationTree read, Symbol connection) {
    if (read.getArguments().isEmpty()
        || !(SocketFlowScanner.strip(read.getArguments().get(0)) instanceof IdentifierTree buffer)) {
      return false;
    }
    String name = ASTHelpers.getSymbol(read).getSimpleName().toString();
    Symbol array = ASTHelpers.getSymbol(buffer);
    if (name.equals("readFully") && Objects.equals(replyBuffers.get(array), connection)) {
      return true;
    }
    return (name.equals("read") || name.equals("readFully"))
        && read.getArguments().size() == 1 && constantBuffers.contains(array);
  }
}
