package io.teardownguard.errorprone.matchers;

import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.DRAIN;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.HANDOFF;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.PARTIAL_READ;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.REBIND;
import static io.teardownguard.errorprone.matchers.SocketEvent.Kind.WRITE;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * The class's own clients of the service it accepts connections for, when the class holds both
 * ends of one exchange (a key server and the {@code fetchKeyFrom(peer)} that asks it, a failure
 * detector's server and its pinger): how many bytes a client sends before it reads the answer.
 *
 * <p>A server that reads a request of fixed size and closes leaves nothing unread only if the
 * client sends no more than that; the server's code alone cannot show it, the client's can when
 * it is in the same class. Known only when every connection the class dials writes values of a
 * fixed size ({@code write(int)}, {@code writeInt}, ...) outside loops, all before its first read,
 * and is neither handed to unseen code nor rebound; otherwise unknown, and the checks stay as
 * they are. The server's method must name a constant that a client writes ({@code
 * Type.SECRET_KEY_REQ}), the evidence that both ends speak the same exchange, not a server for
 * one protocol and a client of another (a proxy).
 */
final class OwnPeer {

  /** Fixed sizes, in bytes, of the one-value reads and writes of the JDK's streams. */
  private static final Map<String, Integer> VALUE_BYTES = Map.ofEntries(
      Map.entry("readByte", 1), Map.entry("readUnsignedByte", 1), Map.entry("readBoolean", 1),
      Map.entry("readShort", 2), Map.entry("readUnsignedShort", 2), Map.entry("readChar", 2),
      Map.entry("readInt", 4), Map.entry("readFloat", 4), Map.entry("readLong", 8),
      Map.entry("readDouble", 8), Map.entry("writeByte", 1), Map.entry("writeBoolean", 1),
      Map.entry("writeShort", 2), Map.entry("writeChar", 2), Map.entry("writeInt", 4),
      Map.entry("writeFloat", 4), Map.entry("writeLong", 8), Map.entry("writeDouble", 8));

  /** The most a client of this class sends, or -1 when unknown or when there is no client. */
  private final int requestBytes;
  /** Constants (static final fields, enum constants) the clients' writes name. */
  private final Set<Symbol> requestConstants;

  private OwnPeer(int requestBytes, Set<Symbol> requestConstants) {
    this.requestBytes = requestBytes;
    this.requestConstants = requestConstants;
  }

  /** What the connections dialled in {@code flows} (those of a class's methods) send. */
  static OwnPeer of(List<SocketFlow> flows) {
    int most = -1;
    Set<Symbol> constants = new HashSet<>();
    for (SocketFlow flow : flows) {
      for (Symbol client : flow.dialled()) {
        List<SocketEvent> events = flow.events(client);
        if (flow.has(client, Set.of(SocketEvent.Kind.ESCAPE))) {
          continue; // made here and returned (a factory): its writes are at the caller's variable
        }
        int sent = requestBytes(flow, client, events, constants);
        if (sent < 0) {
          return new OwnPeer(-1, Set.of());
        }
        if (events.stream().anyMatch(e -> e.kind() == WRITE)) {
          most = Math.max(most, sent);
        }
      }
    }
    return new OwnPeer(most, constants);
  }

  /**
   * True if {@code read}, a read of {@code connection} (accepted: the caller checks) in the
   * method at {@code methodPath}, ends a request that takes everything this class's clients send:
   * it and the reads of the connection before it are all of fixed size, outside loops, and add up
   * to at least the largest request, and the method names a constant the requests carry.
   */
  boolean requestReadThrough(SocketFlow flow, Symbol connection, SocketEvent read,
      TreePath methodPath) {
    if (requestBytes < 0) {
      return false;
    }
    int bytes = 0;
    for (SocketEvent event : flow.events(connection)) {
      if (event.kind() == PARTIAL_READ || event.kind() == DRAIN) {
        Integer size = flow.composed(event) || inLoop(event.path()) ? null : bytes(event.tree());
        if (size == null) {
          return false;
        }
        bytes += size;
      }
      if (event == read) {
        return bytes >= requestBytes && names(methodPath.getLeaf(), requestConstants);
      }
    }
    return false;
  }

  /** The bytes {@code client} sends, or -1 when that cannot be known. */
  private static int requestBytes(SocketFlow flow, Symbol client, List<SocketEvent> events,
      Set<Symbol> constants) {
    int sent = 0;
    boolean readYet = false;
    for (SocketEvent event : events) {
      switch (event.kind()) {
        case HANDOFF, REBIND -> {
          return -1;
        }
        case PARTIAL_READ, DRAIN -> readYet = true;
        case WRITE -> {
          Integer size = readYet || flow.composed(event) || inLoop(event.path()) ? null
              : bytes(event.tree());
          if (size == null) {
            return -1; // a write after the answer, in a loop, or of a size we cannot know
          }
          sent += size;
          constants.addAll(constantsIn(event.tree()));
        }
        default -> {}
      }
    }
    return sent;
  }

  /**
   * The fixed size of a one-value read or write ({@code read()}, {@code write(int)},
   * {@code readInt()}, {@code writeLong(v)}), or null.
   */
  @Nullable
  private static Integer bytes(Tree tree) {
    if (!(tree instanceof MethodInvocationTree call)) {
      return null;
    }
    String name = ASTHelpers.getSymbol(call).getSimpleName().toString();
    int arguments = call.getArguments().size();
    Type argument = arguments == 1 ? ASTHelpers.getType(call.getArguments().get(0)) : null;
    if ((name.equals("read") && arguments == 0)
        || (name.equals("write") && argument != null && argument.isPrimitive())) {
      return 1; // InputStream.read(), OutputStream.write(int): one byte
    }
    return VALUE_BYTES.get(name);
  }

  private static boolean inLoop(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree || leaf instanceof LambdaExpressionTree
          || leaf instanceof ClassTree) {
        return false;
      }
      if (leaf instanceof WhileLoopTree || leaf instanceof DoWhileLoopTree
          || leaf instanceof ForLoopTree || leaf instanceof EnhancedForLoopTree) {
        return true;
      }
    }
    return false;
  }

  /** The static final fields (enum constants among them) that {@code tree} names. */
  private static Set<Symbol> constantsIn(Tree tree) {
    Set<Symbol> found = new HashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        add(ASTHelpers.getSymbol(identifier));
        return null;
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree select, Void unused) {
        add(ASTHelpers.getSymbol(select));
        return super.visitMemberSelect(select, null);
      }

      private void add(@Nullable Symbol symbol) {
        if (symbol != null && (symbol.getKind() == ElementKind.FIELD
                || symbol.getKind() == ElementKind.ENUM_CONSTANT)
            && (symbol.flags() & (Flags.STATIC | Flags.FINAL)) == (Flags.STATIC | Flags.FINAL)) {
          found.add(symbol);
        }
      }
    }.scan(tree, null);
    return found;
  }

  private static boolean names(Tree method, Set<Symbol> constants) {
    return !constants.isEmpty() && constantsIn(method).stream().anyMatch(constants::contains);
  }
}
