package io.teardownguard.agent.core;

import io.teardownguard.agent.observation.CallSiteSource;
import io.teardownguard.agent.observation.DecidedAt;
import io.teardownguard.agent.observation.LazyCallSite;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.TeardownCall;
import java.net.SocketAddress;

/**
 * How the agent reads one kind of the JDK's socket objects (the object a hook receives): what the
 * JDK itself knows about it, read from its fields without its locks, and its descriptor for the
 * probe. One stateless instance per kind, so that {@link Observer#observe} allocates nothing for
 * it; a new kind of hooked socket is one more implementation and one call to {@code observe}.
 */
public interface SocketView {
  /**
   * Whether {@code op} on the socket now takes effect, by the JDK's own rule (a closing socket, a
   * shutdown of an unconnected channel do nothing). Asked before the probe and again after it: a
   * socket another thread began closing meanwhile may have handed its descriptor number on.
   */
  boolean takesEffect(Object socket, TeardownCall.Op op);

  /**
   * Whether the socket still owns its descriptor: the JDK has not begun closing it (it marks that
   * before its close(2) or dup2, and never goes back), so its number names this socket.
   */
  boolean ownsDescriptor(Object socket);

  /** The API the application owns the socket through (metric tag, report, JFR). */
  JavaApi api(Object socket);

  ChannelMode mode(Object socket);

  /** The descriptor number, or -1. */
  int fd(Object socket) throws Throwable;

  /**
   * Whether the application has read EOF, so that no byte can be left unread and the probe may
   * skip the receive queue.
   */
  boolean inputAtEof(Object socket);

  boolean connected(Object socket);

  boolean inputShut(Object socket);

  boolean outputShut(Object socket);

  /** The local address; may make a system call, so only for a teardown that is reported. */
  SocketAddress local(Object socket);

  SocketAddress remote(Object socket);

  /** The local port from the JDK's fields (no system call), 0 when unbound. */
  int localPort(Object socket);

  /** Where a teardown of this kind was called from, walked when first asked for. */
  default CallSiteSource callSite(JavaApi api, int depth) {
    return new LazyCallSite(api.reportName(), depth);
  }

  /** When a prediction for {@code call} is made against its close(2): in the call, unless this kind queues it. */
  default DecidedAt decidedAt(Object socket, TeardownCall call) {
    return DecidedAt.CALL;
  }

  /**
   * Whether this kind's close is hooked on its way out too ({@code HookEvent.CLOSE_RETURN}): then
   * its report waits for the JDK's close(2). Kinds hooked at entry only (asynchronous channels,
   * Netty's native sockets, whose close(2) follows the hooked method) are reported at once.
   */
  default boolean closeReturnHooked() {
    return false;
  }
}
