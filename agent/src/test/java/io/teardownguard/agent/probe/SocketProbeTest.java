package io.teardownguard.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.model.TcpState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The same kernel states read through both probes, on real loopback sockets. */
@Timeout(20)
class SocketProbeTest {

  enum Probe {
    NATIVE(true) {
      @Override
      SocketProbe create() {
        return NativeSocketProbe.load()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "native probe unavailable: "
                            + NativeSocketProbe.unavailableReason().orElse("")));
      }
    },
    PROC_NET(false) {
      @Override
      SocketProbe create() {
        return new ProcNetSocketProbe();
      }
    };

    final boolean readsLinger;

    Probe(boolean readsLinger) {
      this.readsLinger = readsLinger;
    }

    abstract SocketProbe create();

    /**
     * The view of a connection with an empty send queue: only the native probe can tell in-flight
     * bytes apart (/proc/net/tcp's tx_queue holds both kinds) and read the peer's window.
     */
    KernelView idleConnection(TcpState state, long unread, long sendWindow) {
      return readsLinger
          ? new KernelView(state, unread, 0, 0, sendWindow, 0, -1)
          : new KernelView(state, unread, 0, KernelView.UNKNOWN, KernelView.UNKNOWN, 0, -1);
    }
  }

  private static final long WAIT_MILLIS = 5_000;

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  @AfterEach
  void closeAll() throws Exception {
    while (!opened.isEmpty()) {
      opened.pop().close();
    }
  }

  @ParameterizedTest
  @EnumSource(Probe.class)
  void establishedWithUnreadBytes(Probe kind) throws IOException {
    SocketProbe probe = kind.create();
    Connection connection = connect(listener(0));
    connection.client.write(ByteBuffer.wrap(new byte[5]));

    KernelView view = await(probe, connection.server, v -> v.unreadBytes() == 5);

    assertEquals(kind.idleConnection(TcpState.ESTABLISHED, 5, view.sendWindow()), view);
    assertTrue(!kind.readsLinger || view.sendWindow() > 0, view::toString);
  }

  /** The model's reading: what matters is the same, in-flight bytes and the window left unread. */
  @Test
  void probeForModelReadsStateAndUnreadBytes() throws IOException {
    SocketProbe probe = Probe.NATIVE.create();
    Connection connection = connect(listener(0));
    connection.client.write(ByteBuffer.wrap(new byte[5]));
    await(probe, connection.server, v -> v.unreadBytes() == 5);

    int server = Descriptors.of(connection.server);
    assertEquals(new KernelView(TcpState.ESTABLISHED, 5, 0, KernelView.UNKNOWN, KernelView.UNKNOWN, 0, -1),
        probe.probeForModel(server, false));
    assertEquals(0, probe.probeForModel(server, true).unreadBytes(), "EOF read: the receive queue is not read");
    connection.server.read(ByteBuffer.allocate(5));
    KernelView empty = probe.probeForModel(server, false);
    assertEquals(new KernelView(TcpState.ESTABLISHED, 0, 0, KernelView.UNKNOWN, KernelView.UNKNOWN, 0, -1), empty);
    assertTrue(empty == probe.probeForModel(server, false), "an empty socket's view is made once per state");
  }

  /** Bytes waiting to be sent need the window and the in-flight count: the full reading. */
  @Test
  void probeForModelReadsEverythingWhenBytesWaitToBeSent() throws IOException {
    SocketProbe probe = Probe.NATIVE.create();
    Connection connection = connect(listener(4096));
    fillSendQueue(connection.client);
    int client = Descriptors.of(connection.client);

    KernelView view = probe.probeForModel(client, false);

    assertTrue(view.notSentBytes() > 0 && view.sendWindow() != KernelView.UNKNOWN, view::toString);
    assertEquals(view.notSentBytes(), view.heldByWindow(), view::toString);
  }

  @Test
  void probeForModelOfAListenerIsTheFullReading() throws IOException {
    ServerSocketChannel listener = listener(0);
    SocketProbe probe = Probe.NATIVE.create();
    assertEquals(probe.probe(Descriptors.of(listener), false, false), probe.probeForModel(Descriptors.of(listener), false));
  }

  @Test
  void probeForModelOfAClosedDescriptorIsNull() throws IOException {
    SocketChannel channel = SocketChannel.open();
    int closedFd = Descriptors.of(channel);
    channel.close();
    assertNull(Probe.NATIVE.create().probeForModel(closedFd, false));
  }

  @ParameterizedTest
  @EnumSource(Probe.class)
  void closeWaitDoesNotCountTheFinAsUnread(Probe kind) throws IOException {
    SocketProbe probe = kind.create();
    Connection connection = connect(listener(0));
    connection.client.write(ByteBuffer.wrap(new byte[5]));
    connection.client.shutdownOutput();

    KernelView view = await(probe, connection.server, v -> v.state() == TcpState.CLOSE_WAIT);

    assertEquals(kind.idleConnection(TcpState.CLOSE_WAIT, 5, view.sendWindow()), view);
  }

  @ParameterizedTest
  @EnumSource(Probe.class)
  void listenerCountsQueuedConnections(Probe kind) throws IOException {
    SocketProbe probe = kind.create();
    ServerSocketChannel listener = listener(0);
    open(SocketChannel.open(listener.getLocalAddress()));
    open(SocketChannel.open(listener.getLocalAddress()));

    // connect() returns once the client has the SYN-ACK; the listener queues the child when the
    // final ACK arrives, which on loopback may be a moment later.
    KernelView view = await(probe, Descriptors.of(listener), v -> v.acceptQueue() == 2);

    assertEquals(new KernelView(TcpState.LISTEN, 0, 0, 0, KernelView.UNKNOWN, 2, -1), view);
  }

  @ParameterizedTest
  @EnumSource(Probe.class)
  void lingerIsReadOnlyWhenAsked(Probe kind) throws IOException {
    SocketProbe probe = kind.create();
    Connection connection = connect(listener(0));
    connection.client.setOption(StandardSocketOptions.SO_LINGER, 7);
    int fd = Descriptors.of(connection.client);

    assertEquals(kind.readsLinger ? 7 : -1, probe.probe(fd, true, false).lingerSeconds());
    assertEquals(-1, probe.probe(fd, false, false).lingerSeconds());
  }

  @ParameterizedTest
  @EnumSource(Probe.class)
  void unsentBytesWhenThePeerDoesNotRead(Probe kind) throws IOException {
    SocketProbe probe = kind.create();
    Connection connection = connect(listener(4096));
    fillSendQueue(connection.client);

    KernelView view = probe.probe(Descriptors.of(connection.client), false, false);

    assertEquals(TcpState.ESTABLISHED, view.state());
    assertEquals(0, view.unreadBytes());
    // The peer's full window holds them back: not yet sent (tcpi_notsent_bytes), held by the window.
    assertTrue(view.notSentBytes() > 0, () -> "no unsent bytes in " + view);
    assertEquals(view.notSentBytes(), view.heldByWindow(), view::toString);
  }

  @ParameterizedTest
  @EnumSource(Probe.class)
  void resetConnectionIsClose(Probe kind) throws IOException {
    SocketProbe probe = kind.create();
    Connection connection = connect(listener(0));
    connection.server.setOption(StandardSocketOptions.SO_LINGER, 0);
    connection.server.close(); // linger 0: close sends RST

    KernelView view =
        await(probe, Descriptors.of(connection.client), v -> v.state() == TcpState.CLOSE);

    assertEquals(new KernelView(TcpState.CLOSE, 0, 0, 0, view.sendWindow(), 0, -1), view);
  }

  @ParameterizedTest
  @EnumSource(Probe.class)
  void unconnectedSocketIsClose(Probe kind) throws IOException {
    SocketChannel unconnected = open(SocketChannel.open());

    KernelView view = kind.create().probe(Descriptors.of(unconnected), true, false);

    assertEquals(new KernelView(TcpState.CLOSE, 0, 0, 0, view.sendWindow(), 0, -1), view);
  }

  @ParameterizedTest
  @EnumSource(Probe.class)
  void noViewOfClosedOrForeignDescriptors(Probe kind) throws IOException {
    SocketProbe probe = kind.create();
    SocketChannel channel = SocketChannel.open();
    int closedFd = Descriptors.of(channel);
    channel.close();
    Pipe pipe = Pipe.open();
    open(pipe.source());
    open(pipe.sink());

    assertNull(probe.probe(closedFd, true, false));
    assertNull(probe.probe(-1, true, false));
    assertNull(probe.probe(Integer.MAX_VALUE, true, false));
    assertNull(probe.probe(Descriptors.of(pipe.source()), true, false));
  }

  @Test
  void bothProbesSeeTheSameQueues() throws IOException {
    Connection connection = connect(listener(4096));
    connection.server.write(ByteBuffer.wrap(new byte[3]));
    fillSendQueue(connection.client);
    int fd = Descriptors.of(connection.client);
    SocketProbe nativeProbe = Probe.NATIVE.create();
    await(nativeProbe, connection.client, v -> v.unreadBytes() == 3);

    KernelView fromNative = nativeProbe.probe(fd, false, false);
    KernelView fromProc = Probe.PROC_NET.create().probe(fd, false, false);

    // The peer reads nothing, so the unread bytes stay; the unsent count can still move between the
    // two reads (the receiver's kernel collapses its queue and reopens the window a little).
    assertEquals(fromNative.state(), fromProc.state());
    assertEquals(fromNative.unreadBytes(), fromProc.unreadBytes());
    assertTrue(fromNative.notSentBytes() > 0 && fromProc.notSentBytes() > 0, fromNative + " / " + fromProc);
  }

  private record Connection(SocketChannel client, SocketChannel server) {}

  /** A loopback listener; receiveBuffer > 0 sets the SO_RCVBUF its accepted sockets inherit. */
  private ServerSocketChannel listener(int receiveBuffer) throws IOException {
    ServerSocketChannel listener = open(ServerSocketChannel.open());
    if (receiveBuffer > 0) {
      listener.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
    }
    listener.bind(new InetSocketAddress("127.0.0.1", 0), 50);
    return listener;
  }

  private Connection connect(ServerSocketChannel listener) throws IOException {
    SocketChannel client = open(SocketChannel.open(listener.getLocalAddress()));
    SocketChannel server = open(listener.accept());
    return new Connection(client, server);
  }

  /** Writes without blocking until the kernel takes no more: peer window and send buffer full. */
  private static void fillSendQueue(SocketChannel channel) throws IOException {
    channel.configureBlocking(false);
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    for (int round = 0; round < 10_000; round++) {
      chunk.clear();
      if (channel.write(chunk) == 0) {
        return;
      }
    }
    throw new AssertionError("the send queue never filled");
  }

  private static KernelView await(
      SocketProbe probe, SocketChannel channel, Predicate<KernelView> until) {
    return await(probe, Descriptors.of(channel), until);
  }

  /** Probes until the view satisfies {@code until} or WAIT_MILLIS pass; returns the last view. */
  private static KernelView await(SocketProbe probe, int fd, Predicate<KernelView> until) {
    long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
    KernelView view = probe.probe(fd, true, false);
    while ((view == null || !until.test(view)) && System.nanoTime() < deadline) {
      sleep();
      view = probe.probe(fd, true, false);
    }
    return view;
  }

  private static void sleep() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private <T extends AutoCloseable> T open(T resource) {
    opened.push(resource);
    return resource;
  }
}
