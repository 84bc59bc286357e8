package io.teardownguard.agent.core;

import io.teardownguard.agent.netty.NettyCallSite;
import io.teardownguard.agent.netty.NettySocket;
import io.teardownguard.agent.observation.CallSiteSource;
import io.teardownguard.agent.observation.DecidedAt;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.TeardownCall;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Netty's native sockets ({@code io.netty.channel.unix.Socket} of the epoll and io_uring
 * transports), as the hooks in {@code io.netty.channel.unix} receive them. TCP only (SO_PROTOCOL):
 * Netty's domain and datagram sockets take no effect here. The facts are Netty's bits
 * ({@link NettySocket}); Netty keeps no connected flag, so connected is what getpeername says
 * (the kernel's: not CLOSE, SYN_SENT or LISTEN). A close acts while the descriptor is not yet
 * marked closed (the hook runs at {@code markClosed}'s entry); a shutdown only on a connected
 * socket (else shutdown(2) fails with ENOTCONN, {@code inet_shutdown}, and Netty throws). Netty's
 * sockets are non-blocking and its close is close(2) alone: the model's row of an unregistered
 * channel's close. Reads make system calls (getsockopt, getpeername, getsockname): this is the
 * Netty path only.
 */
final class NettySocketView implements SocketView {
  @Override
  public boolean takesEffect(Object socket, TeardownCall.Op op) {
    if (!ownsDescriptor(socket)) {
      return false;
    }
    return switch (op) {
      case SHUTDOWN_INPUT, SHUTDOWN_OUTPUT -> connected(socket);
      case CLOSE, CLOSE_INPUT_STREAM, CLOSE_OUTPUT_STREAM, SET_SO_LINGER -> true;
    };
  }

  @Override
  public boolean ownsDescriptor(Object socket) {
    return NettySocket.of(socket).filter(netty -> netty.isOpen(socket) && netty.isTcp(socket)).isPresent();
  }

  @Override
  public JavaApi api(Object socket) {
    NettySocket netty = reader(socket);
    boolean listener = netty.isListener(socket);
    return switch (netty.transport()) {
      case EPOLL -> listener ? JavaApi.NETTY_EPOLL_SERVER_SOCKET_CHANNEL : JavaApi.NETTY_EPOLL_SOCKET_CHANNEL;
      case IO_URING -> listener ? JavaApi.NETTY_IO_URING_SERVER_SOCKET_CHANNEL : JavaApi.NETTY_IO_URING_SOCKET_CHANNEL;
    };
  }

  @Override
  public ChannelMode mode(Object socket) {
    return ChannelMode.NON_BLOCKING;
  }

  @Override
  public int fd(Object socket) {
    return reader(socket).fd(socket);
  }

  /** Netty keeps no EOF flag on the socket: the probe always reads the receive queue. */
  @Override
  public boolean inputAtEof(Object socket) {
    return false;
  }

  @Override
  public boolean connected(Object socket) {
    return reader(socket).remote(socket) != null;
  }

  @Override
  public boolean inputShut(Object socket) {
    return reader(socket).inputShut(socket);
  }

  @Override
  public boolean outputShut(Object socket) {
    return reader(socket).outputShut(socket);
  }

  @Override
  public SocketAddress local(Object socket) {
    return reader(socket).local(socket);
  }

  @Override
  public SocketAddress remote(Object socket) {
    return reader(socket).remote(socket);
  }

  /** getsockname: Netty's socket keeps no port of its own. */
  @Override
  public int localPort(Object socket) {
    InetSocketAddress local = reader(socket).local(socket);
    return local == null ? 0 : local.getPort();
  }

  @Override
  public CallSiteSource callSite(JavaApi api, int depth) {
    return new NettyCallSite(api.reportName(), depth);
  }

  /**
   * io_uring queues its close (IORING_OP_CLOSE, submitted with the ring's next batch): data that
   * arrives before the kernel runs it decides the wire after the probe. A never-registered
   * io_uring socket is closed at once, but is counted here too.
   */
  @Override
  public DecidedAt decidedAt(Object socket, TeardownCall call) {
    boolean queued = call.closesSocket() && reader(socket).transport() == NettySocket.Transport.IO_URING;
    return queued ? DecidedAt.QUEUED : DecidedAt.CALL;
  }

  /** Only for sockets {@link #ownsDescriptor} accepted: the observer asks nothing of others. */
  private static NettySocket reader(Object socket) {
    return NettySocket.of(socket).orElseThrow();
  }
}
