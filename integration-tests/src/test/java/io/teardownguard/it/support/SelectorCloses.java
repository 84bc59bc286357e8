package io.teardownguard.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for the deferred-close tests: an event loop (one thread, one Selector) serves
 * {@code count} connections, and a worker thread closes each registered channel, as servers hand
 * requests to workers. What follows the close is the mode:
 *
 * <ul>
 *   <li>{@code released}: the loop is woken and selects again, which releases each socket (kill);
 *   <li>{@code stopped}: the loop has stopped, its Selector left open: no select ever releases them;
 *   <li>{@code selecting}: the loop is blocked in select() (no timeout) and the JVM exits at once;
 *   <li>{@code stale}: as {@code selecting}, but the JVM runs on for 1.5 s before it exits;
 *   <li>{@code hook}: as {@code selecting}, and a shutdown hook stops the server, closing its
 *       Selector (a server stopped on the way out);
 *   <li>{@code load}: a non-blocking echo-less server under racing clients; see {@link #load}.
 * </ul>
 *
 * Each client reads to end of stream, so every server-side FIN has reached it. Prints "done".
 */
public final class SelectorCloses {
  private static final int TIMEOUT_MILLIS = 10_000;

  private final Selector selector;
  private final ServerSocketChannel listener;
  private final Thread loop;
  private volatile boolean running = true;

  private SelectorCloses() throws IOException {
    selector = Selector.open();
    listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 512);
    loop = new Thread(this::loop, "event-loop");
    loop.setDaemon(true);
    loop.start();
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int count = Integer.parseInt(args[1]);
    SelectorCloses server = new SelectorCloses();
    if (mode.equals("load")) {
      server.load(count);
    } else {
      server.workerCloses(mode, count);
    }
    System.out.println("done");
  }

  /** The event loop: selects with no timeout until stopped; ready keys are only cleared. */
  private void loop() {
    try {
      while (running) {
        selector.select();
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void stopLoop() throws InterruptedException {
    running = false;
    selector.wakeup();
    loop.join(TIMEOUT_MILLIS);
  }

  private void workerCloses(String mode, int count) throws Exception {
    List<Socket> clients = new ArrayList<>();
    List<SocketChannel> served = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Socket client = new Socket();
      client.connect(listener.getLocalAddress(), TIMEOUT_MILLIS);
      client.setSoTimeout(TIMEOUT_MILLIS);
      clients.add(client);
      SocketChannel channel = listener.accept();
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      served.add(channel);
    }
    selector.wakeup(); // the loop's next select puts the new keys in epoll
    Thread.sleep(50);
    if (mode.equals("stopped")) {
      stopLoop();
    }
    ExecutorService worker = Executors.newSingleThreadExecutor();
    for (SocketChannel channel : served) {
      worker.submit(() -> {
        channel.close();
        return null;
      }).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }
    worker.shutdown();
    for (Socket client : clients) {
      // End of stream: the server's FIN arrived. The client stays open until exit: its FIN would
      // wake the Selector (the cancelled key is in epoll until deregistered) and release the socket.
      client.getInputStream().readAllBytes();
    }
    switch (mode) {
      case "released" -> {
        selector.wakeup();
        Thread.sleep(200);
        stopLoop();
      }
      case "stale" -> Thread.sleep(1_500);
      case "hook" -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          stopLoop();
          selector.close();
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }));
      case "stopped", "selecting" -> { }
      default -> throw new IllegalArgumentException(mode);
    }
  }

  /**
   * A busy non-blocking server: {@code count} clients each send a request of 100-400 bytes in two
   * writes and read the reply; the loop reads the first part of each request, answers, and closes
   * every third connection at once with the rest of the request unread (an early rejection), the
   * others after reading it all. The clients close as soon as they have the reply, so their FIN
   * races the server's close. Everything is closed from the loop thread, as such servers do.
   */
  private void load(int count) throws Exception {
    stopLoop(); // this mode's loop runs on the main thread
    listener.configureBlocking(false);
    listener.register(selector, SelectionKey.OP_ACCEPT);
    ExecutorService clients = Executors.newFixedThreadPool(8);
    InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
    for (int i = 0; i < count; i++) {
      int size = 100 + (i * 37) % 300;
      clients.submit(() -> request(address, size));
    }
    clients.shutdown();
    int closed = 0;
    int accepted = 0;
    ByteBuffer buffer = ByteBuffer.allocate(64);
    long deadline = System.currentTimeMillis() + 60_000;
    while (closed < count && System.currentTimeMillis() < deadline) {
      selector.select(100);
      for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
        SelectionKey key = keys.next();
        keys.remove();
        if (key.isAcceptable()) {
          SocketChannel channel = listener.accept();
          if (channel != null) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new int[] {accepted++});
          }
          continue;
        }
        SocketChannel channel = (SocketChannel) key.channel();
        buffer.clear();
        int n;
        try {
          n = channel.read(buffer);
        } catch (IOException reset) {
          n = -1;
        }
        int[] seen = (int[]) key.attachment();
        if (n < 0) {
          channel.close();
          closed++;
        } else if (seen.length == 1) {
          key.attach(new int[] {seen[0], 0});
          try {
            channel.write(ByteBuffer.wrap(new byte[] {'o', 'k', '\n'}));
          } catch (IOException reset) {
            // the client is gone already
          }
          if (Math.floorMod(seen[0], 3) == 0) {
            channel.close(); // rejected early: the rest of the request is unread
            closed++;
          }
        }
      }
    }
    clients.awaitTermination(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    selector.close();
    System.out.println("closed " + closed);
  }

  private static Void request(InetSocketAddress address, int size) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(address, TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      socket.getOutputStream().write(new byte[size / 2]);
      socket.getOutputStream().write(new byte[size - size / 2]);
      socket.getInputStream().read(new byte[3]);
    } catch (IOException resetOrRefused) {
      // a rejected request may see the server's RST: part of the workload
    }
    return null;
  }
}
