package io.teardownguard.agent.core;

import io.teardownguard.agent.instrumentation.HookEvent;
import io.teardownguard.agent.netty.NettyCallSite;
import io.teardownguard.agent.netty.NettySocket;
import io.teardownguard.agent.observation.DecidedAt;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.agent.report.Reporter;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.time.Instant;
import java.util.Optional;

/**
 * The teardowns of Netty's native sockets (epoll, io_uring), from the hooks in
 * {@code io.netty.channel.unix} ({@link io.teardownguard.agent.instrumentation.NettyNativeInstrumentation}).
 * The Java-level facts are Netty's (its descriptor, its input/output-shut bits), the kernel's are
 * the probe's on that descriptor. Netty closes with close(2) alone, never a shutdown first
 * ({@code FileDescriptor.close()}; io_uring's IORING_OP_CLOSE is the same close), and its sockets
 * are non-blocking: the model's row for that is an unregistered channel's close, so the snapshot
 * is a {@link JavaApi#SOCKET_CHANNEL} (or {@link JavaApi#SERVER_SOCKET_CHANNEL}, a listener) in
 * {@link ChannelMode#NON_BLOCKING}; the report names Netty's channel class as the API. A
 * descriptor the probe cannot read as TCP (a domain or datagram socket) is not reported.
 */
final class NettyTeardowns {
  /** The dispatcher's probe, with its choice of what to read. */
  @FunctionalInterface
  interface Probe {
    KernelView probe(int fd, boolean inputAtEof);
  }

  /** The dispatcher's SO_LINGER: the kernel's when the probe read it, else what was set. */
  @FunctionalInterface
  interface LingerOf {
    int lingerOf(Object socket, KernelView kernel);
  }

  private final Probe probe;
  private final LingerOf lingerOf;
  private final LingerTracker linger;
  private final ListeningPorts listeningPorts;
  private final OutcomeCache outcomes;
  private final Reporter reporter;
  private final int jdkFeature = Runtime.version().feature();
  private final int stackDepth;

  NettyTeardowns(Probe probe, LingerOf lingerOf, LingerTracker linger, ListeningPorts listeningPorts,
      OutcomeCache outcomes, Reporter reporter, int stackDepth) {
    this.probe = probe;
    this.lingerOf = lingerOf;
    this.linger = linger;
    this.listeningPorts = listeningPorts;
    this.outcomes = outcomes;
    this.reporter = reporter;
    this.stackDepth = stackDepth;
  }

  /** One of the {@code NETTY_*} hook events. */
  void on(int event, Object socket, Object name, Object value) throws Throwable {
    Optional<NettySocket> known = NettySocket.of(socket);
    if (known.isEmpty()) {
      return; // a pipe or an eventfd of Netty's: not a socket
    }
    NettySocket netty = known.get();
    if (!netty.isOpen(socket)) {
      return; // markClosed() returns false, shutdown() throws, setSoLinger() failed: nothing happens
    }
    switch (event) {
      case HookEvent.NETTY_CLOSE -> teardown(netty, socket, TeardownCall.of(TeardownCall.Op.CLOSE), false);
      case HookEvent.NETTY_SHUTDOWN -> shutdown(netty, socket, (Boolean) name, (Boolean) value);
      case HookEvent.NETTY_LINGER_SET -> {
        linger.optionSet(socket, StandardSocketOptions.SO_LINGER, name);
        teardown(netty, socket, TeardownCall.setSoLinger(linger.lingerOf(socket)), false);
      }
      case HookEvent.NETTY_LISTENING -> {
        InetSocketAddress local = netty.local(socket);
        if (local != null) {
          listeningPorts.add(local.getPort());
        }
      }
      default -> throw new IllegalArgumentException("not a Netty hook event: " + event);
    }
  }

  /**
   * {@code Socket.shutdown(read, write)} shuts only what is not shut yet (and does nothing when
   * that is nothing); its system call is shutdown(2) with both flags, SHUT_RDWR when both, where
   * the kernel sends its FIN for the write side alone: reported as shutdownOutput, then
   * shutdownInput.
   */
  private void shutdown(NettySocket netty, Object socket, boolean read, boolean write) throws Throwable {
    boolean output = write && !netty.outputShut(socket);
    boolean input = read && !netty.inputShut(socket);
    if (output) {
      teardown(netty, socket, TeardownCall.of(TeardownCall.Op.SHUTDOWN_OUTPUT), false);
    }
    if (input) {
      teardown(netty, socket, TeardownCall.of(TeardownCall.Op.SHUTDOWN_INPUT), output);
    }
  }

  /** @param outputShutNow the same call shut the output just before (SHUT_RDWR) */
  private void teardown(NettySocket netty, Object socket, TeardownCall call, boolean outputShutNow) throws Throwable {
    int fd = netty.fd(socket);
    KernelView kernel = probe.probe(fd, false);
    if (kernel == null || !netty.isOpen(socket)) {
      return; // not TCP (or no probe); or closed by another thread during the probe: the number may be reused
    }
    boolean listener = kernel.state() == TcpState.LISTEN;
    boolean connected = connected(kernel.state());
    boolean shutdown = call.op() == TeardownCall.Op.SHUTDOWN_INPUT || call.op() == TeardownCall.Op.SHUTDOWN_OUTPUT;
    if (shutdown && !connected) {
      return; // shutdown(2) fails with ENOTCONN (inet_shutdown) and Netty throws: no teardown took effect
    }
    SocketSnapshot snapshot = listener
        ? Snapshots.listener(JavaApi.SERVER_SOCKET_CHANNEL, ChannelMode.NON_BLOCKING, jdkFeature, kernel)
        : Snapshots.of(JavaApi.SOCKET_CHANNEL, ChannelMode.NON_BLOCKING, jdkFeature, kernel, connected,
            netty.inputShut(socket), outputShutNow || netty.outputShut(socket), lingerOf.lingerOf(socket, kernel));
    Outcome outcome = outcomes.predict(snapshot, call);
    InetSocketAddress local = netty.local(socket);
    boolean serverSide = !listener && local != null && listeningPorts.contains(local.getPort());
    if (!reporter.wantsRecord(outcome) && !reporter.count(call, snapshot.api(), outcome, serverSide)) {
      return;
    }
    boolean queued = call.op() == TeardownCall.Op.CLOSE && netty.closeQueued();
    TeardownRecord record = new TeardownRecord(call, snapshot, kernel, outcome, local,
        listener ? null : netty.remote(socket), Instant.now(), Thread.currentThread().getName(),
        new NettyCallSite(netty.channelClass(socket, listener), stackDepth), serverSide,
        queued ? DecidedAt.QUEUED : DecidedAt.CALL);
    if (reporter.wantsRecord(outcome)) {
      reporter.record(record);
    } else {
      reporter.serverSideTimeWait(record);
    }
  }

  /**
   * Netty keeps no connected flag on the socket: a socket the kernel holds in a synchronized
   * state is connected. A reset, or a connection ended on both sides (whose owned socket is CLOSE
   * once its TIME_WAIT twin took over, tcp_time_wait), is not.
   */
  private static boolean connected(TcpState state) {
    return state != TcpState.CLOSE && state != TcpState.SYN_SENT && state != TcpState.LISTEN;
  }
}
