package io.teardownguard.conformance;

import io.teardownguard.conformance.endpoint.Endpoint;
import io.teardownguard.conformance.endpoint.Endpoints;
import io.teardownguard.conformance.endpoint.Listener;
import io.teardownguard.conformance.endpoint.TlsEndpoint;
import io.teardownguard.conformance.peer.Addresses;
import io.teardownguard.conformance.peer.Peer;
import io.teardownguard.conformance.scenario.ApiVariant;
import io.teardownguard.conformance.scenario.Scenario;
import io.teardownguard.conformance.scenario.ScenarioException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sockets of one scenario run: the endpoint (or listener) under test, here, and the peer's
 * sockets, in the {@link Network}'s peer, set up as {@code setup local=...} says.
 *
 * <ul>
 *   <li>{@code server} (default): the peer connects, the endpoint under test is the accepted side;
 *   <li>{@code client}: the endpoint under test connects to the peer's ServerSocket;
 *   <li>{@code connecting}: the endpoint under test connects to a peer listener whose accept queue
 *       is full, so its SYN is dropped (tcp_conn_request) and it stays in SYN_SENT;
 *   <li>{@code listener}: the listener under test, with peers connected and queued.
 * </ul>
 */
final class Fixture implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

  final ApiVariant variant;
  final Network network;
  final Listener listener;
  final Endpoint local;
  /** The peer's sockets, numbered in connection order; for a connected scenario, exactly one. */
  final Peer peer;
  /** Each peer socket's address, taken when it connected (a closed socket no longer tells it). */
  final List<InetSocketAddress> peerAddresses = new ArrayList<>();
  /** The outcome of a pending blocking connect ({@code setup local=connecting}). */
  final CompletableFuture<String> connectOutcome;

  private Fixture(ApiVariant variant, Network network, Listener listener, Endpoint local,
      CompletableFuture<String> connectOutcome) {
    this.variant = variant;
    this.network = network;
    this.peer = network.peer();
    this.listener = listener;
    this.local = local;
    this.connectOutcome = connectOutcome;
  }

  static Fixture open(Scenario scenario, ApiVariant variant, Network network) throws IOException {
    String role = variant.api().isListener() ? "listener" : scenario.setupValue("local", "server");
    int peerReceiveBuffer = scenario.setupInt("peer.rcvbuf", 0);
    Peer peer = network.peer();
    switch (role) {
      case "listener" -> {
        Listener listener = Listener.open(variant, network.localAddress(), scenario.setupInt("backlog", 50), 0);
        return new Fixture(variant, network, listener, null, null);
      }
      case "server" -> {
        ApiVariant serverApi = variant.overSocket() ? ApiVariant.SERVER_SOCKET
            : variant.api().isAsynchronous() ? ApiVariant.ASYNC_SERVER_SOCKET_CHANNEL : ApiVariant.SERVER_SOCKET_CHANNEL;
        Listener listener = Listener.open(serverApi, network.localAddress(), 50, 0);
        Fixture fixture = new Fixture(variant, network, listener, null, null);
        InetSocketAddress peerAddress = fixture.connectPeer(listener.address(), peerReceiveBuffer);
        Object accepted = variant.overSocket() ? listener.acceptSocket()
            : variant.api().isAsynchronous() ? listener.async().accept() : listener.acceptChannel();
        setSendBuffer(scenario, accepted);
        return fixture.with(fixture.endpoint(accepted, peerAddress, 0, false));
      }
      case "client" -> {
        InetSocketAddress peerListener = Addresses.parse(peer.listen(50, peerReceiveBuffer));
        Object connected = connectLocal(variant, network, peerListener);
        Fixture fixture = new Fixture(variant, network, null, null, null);
        fixture.peerAddresses.add(peerListener);
        int accepted = peer.accept();
        setSendBuffer(scenario, connected);
        return fixture.with(fixture.endpoint(connected, peerListener, accepted, true));
      }
      case "connecting" -> {
        return connecting(variant, network);
      }
      default -> throw new ScenarioException("setup local=" + role
          + " is not one of server, client, connecting");
    }
  }

  /** The endpoint under test over {@code socketOrChannel}; for a TLS variant, after both ends' handshake. */
  private Endpoint endpoint(Object socketOrChannel, InetSocketAddress remote, int peerIndex, boolean clientMode)
      throws IOException {
    if (variant.tlsProtocol() == null) {
      return wrap(variant, socketOrChannel, remote);
    }
    return TlsEndpoint.handshake(variant, (Socket) socketOrChannel, remote, clientMode,
        (mode, protocol, keyStore) -> peer.startTls(peerIndex, mode, protocol, keyStore));
  }

  private Fixture with(Endpoint endpoint) {
    Fixture fixture = new Fixture(variant, network, listener, endpoint, connectOutcome);
    fixture.peerAddresses.addAll(peerAddresses);
    return fixture;
  }

  /** Adds a peer socket that connects to the listener under test and waits in its accept queue. */
  void connectQueuedPeer() throws IOException {
    connectPeer(listener.address(), 0);
  }

  private InetSocketAddress connectPeer(InetSocketAddress to, int receiveBuffer) throws IOException {
    int index = peer.connect(Addresses.format(to), receiveBuffer);
    InetSocketAddress address = Addresses.parse(peer.localAddress(index));
    peerAddresses.add(address);
    return address;
  }

  private static void setSendBuffer(Scenario scenario, Object socketOrChannel) throws IOException {
    int sendBuffer = scenario.setupInt("local.sndbuf", 0);
    if (sendBuffer > 0) {
      Endpoints.setSendBuffer(socketOrChannel, sendBuffer);
    }
  }

  private static Fixture connecting(ApiVariant variant, Network network) throws IOException {
    Peer peer = network.peer();
    // backlog 1: sk_acceptq_is_full() holds once two connections wait, and later SYNs are dropped.
    InetSocketAddress full = Addresses.parse(peer.listen(1, 0));
    // The fillers are the peer's own connections to its listener (over its lo on a link).
    peer.connect(Addresses.format(full), 0);
    peer.connect(Addresses.format(full), 0);
    InetSocketAddress bindTo = new InetSocketAddress(network.localAddress(), 0);
    Endpoint local;
    CompletableFuture<String> outcome = new CompletableFuture<>();
    if (variant == ApiVariant.SOCKET) {
      Socket socket = new Socket();
      socket.bind(bindTo);
      local = Endpoints.ofSocket(variant, socket, full);
      startConnect(outcome, () -> socket.connect(full));
    } else {
      SocketChannel channel = SocketChannel.open();
      channel.bind(bindTo);
      local = Endpoints.ofChannel(variant, channel, full);
      if (channel.isBlocking()) {
        startConnect(outcome, () -> channel.connect(full));
      } else {
        outcome.complete(channel.connect(full) ? "connected" : "pending");
      }
    }
    return new Fixture(variant, network, null, local, outcome);
  }

  private interface Connect {
    void run() throws IOException;
  }

  private static void startConnect(CompletableFuture<String> outcome, Connect connect) {
    Thread thread = new Thread(() -> {
      try {
        connect.run();
        outcome.complete("connected");
      } catch (IOException | RuntimeException e) {
        outcome.complete("failed");
      }
    }, "scenario-connect");
    thread.setDaemon(true);
    thread.start();
  }

  private static Object connectLocal(ApiVariant variant, Network network, InetSocketAddress address)
      throws IOException {
    InetSocketAddress bindTo = new InetSocketAddress(network.localAddress(), 0);
    if (variant.overSocket()) {
      Socket socket = new Socket();
      socket.bind(bindTo);
      socket.connect(address, CONNECT_TIMEOUT_MILLIS);
      return socket;
    }
    if (variant.api().isAsynchronous()) {
      AsynchronousSocketChannel channel = AsynchronousSocketChannel.open();
      channel.bind(bindTo);
      try {
        channel.connect(address).get(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException | ExecutionException | TimeoutException e) {
        channel.close();
        throw new IOException("connect to " + address + " failed", e);
      }
      return channel;
    }
    SocketChannel channel = SocketChannel.open();
    channel.bind(bindTo);
    channel.connect(address);
    return channel;
  }

  private static Endpoint wrap(ApiVariant variant, Object socketOrChannel, InetSocketAddress remote)
      throws IOException {
    if (socketOrChannel instanceof Socket socket) {
      return Endpoints.ofSocket(variant, socket, remote);
    }
    if (socketOrChannel instanceof AsynchronousSocketChannel async) {
      return Endpoints.ofAsync(variant, async, remote);
    }
    return Endpoints.ofChannel(variant, (SocketChannel) socketOrChannel, remote);
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>();
    all.add(peer::reset);
    if (local != null) {
      all.add(local::release);
    }
    if (listener != null) {
      all.add(listener::release);
    }
    for (AutoCloseable closeable : all) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // Cleanup of sockets the scenario may already have torn down.
      }
    }
  }
}
