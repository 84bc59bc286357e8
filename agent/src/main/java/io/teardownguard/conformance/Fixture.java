package io.teardownguard.conformance;

import io.teardownguard.conformance.endpoint.Endpoint;
import io.teardownguard.conformance.endpoint.Endpoints;
import io.teardownguard.conformance.endpoint.Listener;
import io.teardownguard.conformance.scenario.ApiVariant;
import io.teardownguard.conformance.scenario.Scenario;
import io.teardownguard.conformance.scenario.ScenarioException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The sockets of one scenario run: the endpoint (or listener) under test and the peer(s), set up
 * as {@code setup local=...} says.
 *
 * <ul>
 *   <li>{@code server} (default): the peer connects, the endpoint under test is the accepted side;
 *   <li>{@code client}: the endpoint under test connects to the peer's ServerSocket;
 *   <li>{@code connecting}: the endpoint under test connects to a listener whose accept queue is
 *       full, so its SYN is dropped (tcp_conn_request) and it stays in SYN_SENT;
 *   <li>{@code listener}: the listener under test, with peers connected and queued.
 * </ul>
 */
final class Fixture implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

  final ApiVariant variant;
  final Listener listener;
  final Endpoint local;
  /** Peers in connection order; for a connected scenario, exactly one. */
  final List<Socket> peers = new ArrayList<>();
  /** Each peer's address, taken when it connected (a closed Socket no longer tells it). */
  final List<InetSocketAddress> peerAddresses = new ArrayList<>();
  /** The outcome of a pending blocking connect ({@code setup local=connecting}). */
  final CompletableFuture<String> connectOutcome;
  private final List<AutoCloseable> extras = new ArrayList<>();

  private Fixture(ApiVariant variant, Listener listener, Endpoint local,
      CompletableFuture<String> connectOutcome) {
    this.variant = variant;
    this.listener = listener;
    this.local = local;
    this.connectOutcome = connectOutcome;
  }

  static Fixture open(Scenario scenario, ApiVariant variant) throws IOException {
    String role = variant.api().isListener() ? "listener" : scenario.setupValue("local", "server");
    int peerReceiveBuffer = scenario.setupInt("peer.rcvbuf", 0);
    switch (role) {
      case "listener" -> {
        Listener listener = Listener.open(variant, scenario.setupInt("backlog", 50), 0);
        return new Fixture(variant, listener, null, null);
      }
      case "server" -> {
        ApiVariant serverApi = variant == ApiVariant.SOCKET ? ApiVariant.SERVER_SOCKET : ApiVariant.SERVER_SOCKET_CHANNEL;
        Listener listener = Listener.open(serverApi, 50, 0);
        Socket peer = connectPeer(listener.address(), peerReceiveBuffer);
        Object accepted = variant == ApiVariant.SOCKET ? listener.acceptSocket() : listener.acceptChannel();
        Fixture fixture = new Fixture(variant, listener, wrap(variant, accepted, peerAddress(peer)), null);
        fixture.addPeer(peer);
        fixture.setSendBuffer(scenario, accepted);
        return fixture;
      }
      case "client" -> {
        Listener listener = Listener.open(ApiVariant.SERVER_SOCKET, 50, peerReceiveBuffer);
        Object connected = connectLocal(variant, listener.address());
        Socket peer = listener.acceptSocket();
        Fixture fixture = new Fixture(variant, listener, wrap(variant, connected, listener.address()), null);
        fixture.addPeer(peer);
        fixture.setSendBuffer(scenario, connected);
        return fixture;
      }
      case "connecting" -> {
        return connecting(variant);
      }
      default -> throw new ScenarioException("setup local=" + role
          + " is not one of server, client, connecting");
    }
  }

  /** Adds a peer that connects to the listener under test and waits in its accept queue. */
  Socket connectQueuedPeer() throws IOException {
    Socket peer = connectPeer(listener.address(), 0);
    addPeer(peer);
    return peer;
  }

  private void addPeer(Socket peer) {
    peers.add(peer);
    peerAddresses.add((InetSocketAddress) peer.getLocalSocketAddress());
  }

  Socket peer() {
    if (peers.isEmpty()) {
      throw new ScenarioException("this scenario has no peer yet");
    }
    return peers.get(0);
  }

  private void setSendBuffer(Scenario scenario, Object socketOrChannel) throws IOException {
    int sendBuffer = scenario.setupInt("local.sndbuf", 0);
    if (sendBuffer > 0) {
      Endpoints.setSendBuffer(socketOrChannel, sendBuffer);
    }
  }

  private static Fixture connecting(ApiVariant variant) throws IOException {
    // backlog 1: sk_acceptq_is_full() holds once two connections wait, and later SYNs are dropped.
    Listener full = Listener.open(ApiVariant.SERVER_SOCKET, 1, 0);
    List<Socket> fillers = List.of(connectPeer(full.address(), 0), connectPeer(full.address(), 0));
    InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
    Endpoint local;
    CompletableFuture<String> outcome = new CompletableFuture<>();
    if (variant == ApiVariant.SOCKET) {
      Socket socket = new Socket();
      socket.bind(loopback);
      local = Endpoints.ofSocket(variant, socket, full.address());
      startConnect(outcome, () -> socket.connect(full.address()));
    } else {
      SocketChannel channel = SocketChannel.open();
      channel.bind(loopback);
      local = Endpoints.ofChannel(variant, channel, full.address());
      if (channel.isBlocking()) {
        startConnect(outcome, () -> channel.connect(full.address()));
      } else {
        outcome.complete(channel.connect(full.address()) ? "connected" : "pending");
      }
    }
    Fixture fixture = new Fixture(variant, full, local, outcome);
    fixture.extras.addAll(fillers);
    return fixture;
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

  private static Object connectLocal(ApiVariant variant, InetSocketAddress address) throws IOException {
    if (variant == ApiVariant.SOCKET) {
      Socket socket = new Socket();
      socket.connect(address, CONNECT_TIMEOUT_MILLIS);
      return socket;
    }
    return SocketChannel.open(address);
  }

  private static Endpoint wrap(ApiVariant variant, Object socketOrChannel, InetSocketAddress remote)
      throws IOException {
    if (socketOrChannel instanceof Socket socket) {
      return Endpoints.ofSocket(variant, socket, remote);
    }
    return Endpoints.ofChannel(variant, (SocketChannel) socketOrChannel, remote);
  }

  private static Socket connectPeer(InetSocketAddress address, int receiveBuffer) throws IOException {
    Socket peer = new Socket();
    if (receiveBuffer > 0) {
      peer.setReceiveBufferSize(receiveBuffer);
    }
    peer.connect(address, CONNECT_TIMEOUT_MILLIS);
    return peer;
  }

  private static InetSocketAddress peerAddress(Socket peer) {
    return (InetSocketAddress) peer.getLocalSocketAddress();
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>(extras);
    all.addAll(peers);
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
