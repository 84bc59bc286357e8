package io.teardownguard.errorprone.matchers;

import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreePath;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One thing a method does to one connection (a {@code Socket} or {@code SocketChannel} held in a
 * local variable or parameter), in source order.
 *
 * @param kind what happened
 * @param path where: the call, or the {@code try} whose resource closes the connection
 * @param closedAtEndOf for a try-with-resources close, the {@code try}; the close happens after
 *     its block, on every way out of it
 * @param lingerSeconds for {@link Kind#SET_LINGER}, the constant linger time (-1: linger off), or
 *     null when it is not a compile-time constant
 */
public record SocketEvent(
    Kind kind, TreePath path, @Nullable TryTree closedAtEndOf, @Nullable Integer lingerSeconds) {

  /** What a method does to a connection. */
  public enum Kind {
    /** Reads some of the input and stops before end of stream (a line, a header, a buffer). */
    PARTIAL_READ,
    /** Reads the input to end of stream, to a bound, or in a way we cannot rule that out. */
    DRAIN,
    /** Writes to the connection. */
    WRITE,
    SHUTDOWN_INPUT,
    SHUTDOWN_OUTPUT,
    /** Closes the connection: its own close, a helper named close..., try-with-resources. */
    CLOSE,
    /** Closes a stream of a {@code Socket}, which closes the socket too. */
    STREAM_CLOSE,
    /** An I/O or option call on the connection that fails once it is closed. */
    USE,
    SET_LINGER,
    /** {@code configureBlocking(false)}. */
    NON_BLOCKING,
    /** Registered with a Selector. */
    REGISTER,
    /** The connection or its input goes to code we do not see, which may read it. */
    HANDOFF,
    /** The connection leaves the method: a field, a return, a lambda, another variable. */
    ESCAPE,
    /** The variable is assigned another connection: events before and after differ. */
    REBIND;

    /**
     * Before a shutdown, these mean the input may already be at end of stream (read to it, or
     * handed to code that may have), so there may be nothing left for the shutdown to hide.
     */
    public static final Set<Kind> MAY_HAVE_READ_TO_EOF = Set.of(DRAIN, HANDOFF, ESCAPE);
  }

  public Tree tree() {
    return path.getLeaf();
  }
}
