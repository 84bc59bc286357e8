package io.teardownguard.it.stress;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Adversarial socket programs for {@link StressIT}, one per mode, each bounded in count and time.
 * What each prints depends only on what the JDK guarantees (every blocked call ends with an
 * exception once its socket is closed, all bytes sent are read), never on timing, so a run with
 * the agent must print exactly what a run without it prints.
 */
public final class StressApp {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int ROUNDS = 100;

  private StressApp() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "close-race" -> closeRace();
      case "close-vs-read" -> closeVersusRead();
      case "close-vs-write" -> closeVersusWrite();
      case "close-vs-accept" -> closeVersusAccept();
      case "close-vs-connect" -> closeVersusConnect();
      case "close-vs-select" -> closeVersusSelect();
      case "interrupts" -> interrupts();
      case "virtual-threads" -> virtualThreads(Integer.parseInt(args[1]));
      case "exit-mid-close" -> exitMidClose();
      case "leaks" -> leaks(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  /** A connected pair over a fresh listener; the listener is closed at once. */
  private static Socket[] pair() throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 1, LOOPBACK)) {
      Socket client = new Socket(LOOPBACK, listener.getLocalPort());
      return new Socket[] {client, listener.accept()};
    }
  }

  /** 64 threads close one socket at the same instant (a latch), 100 times, half of them with unread data. */
  private static void closeRace() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(64);
    int failures = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Socket[] pair = pair();
      if (round % 2 == 0) {
        pair[0].getOutputStream().write(new byte[100]);
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> closes = new ArrayList<>();
      for (int t = 0; t < 64; t++) {
        Socket target = pair[1];
        closes.add(pool.submit(() -> {
          go.await();
          target.close();
          return target.isClosed();
        }));
      }
      go.countDown();
      for (Future<Boolean> close : closes) {
        failures += close.get(10, TimeUnit.SECONDS) ? 0 : 1;
      }
      pair[0].close();
    }
    pool.shutdown();
    System.out.println("close-race: " + ROUNDS + " rounds of 64 concurrent closes, not closed after close(): " + failures);
  }

  /** A thread blocked in read(); another closes the socket: the read must end with SocketException. */
  private static void closeVersusRead() throws Exception {
    int ended = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Socket[] pair = pair();
      BlockedCall reader = blockedUntilClosed(() -> pair[1].getInputStream().read());
      pair[1].close();
      ended += join(reader);
      pair[0].close();
    }
    System.out.println("close-vs-read: " + ended + "/" + ROUNDS + " blocked reads ended by close");
  }

  /** A thread blocked in write() (the peer never reads); another closes the socket. */
  private static void closeVersusWrite() throws Exception {
    int ended = 0;
    int rounds = ROUNDS / 4;
    for (int round = 0; round < rounds; round++) {
      Socket[] pair = pair();
      pair[0].setReceiveBufferSize(4096);
      BlockedCall writer = blockedUntilClosed(() -> {
        OutputStream out = pair[1].getOutputStream();
        byte[] chunk = new byte[64 * 1024];
        while (true) {
          out.write(chunk);
        }
      });
      pair[1].close();
      ended += join(writer);
      pair[0].close();
    }
    System.out.println("close-vs-write: " + ended + "/" + rounds + " blocked writes ended by close");
  }

  /** A thread blocked in accept(), on a ServerSocket and on a ServerSocketChannel; another closes the listener. */
  private static void closeVersusAccept() throws Exception {
    int ended = 0;
    for (int round = 0; round < ROUNDS; round++) {
      if (round % 2 == 0) {
        ServerSocket listener = new ServerSocket(0, 1, LOOPBACK);
        BlockedCall acceptor = blockedUntilClosed(listener::accept);
        listener.close();
        ended += join(acceptor);
      } else {
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        BlockedCall acceptor = blockedUntilClosed(listener::accept);
        listener.close();
        ended += join(acceptor);
      }
    }
    System.out.println("close-vs-accept: " + ended + "/" + ROUNDS + " blocked accepts ended by close");
  }

  /**
   * A thread blocked in connect() to a listener whose queue is full (the kernel drops the SYN, so
   * connect waits for the retransmission); another closes the connecting channel.
   */
  private static void closeVersusConnect() throws Exception {
    int ended = 0;
    int rounds = ROUNDS / 5;
    try (ServerSocket full = new ServerSocket(0, 1, LOOPBACK)) {
      List<Socket> filling = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Socket socket = new Socket();
        try {
          socket.connect(new InetSocketAddress(LOOPBACK, full.getLocalPort()), 200);
          filling.add(socket);
        } catch (IOException e) {
          socket.close();
        }
      }
      for (int round = 0; round < rounds; round++) {
        SocketChannel channel = SocketChannel.open();
        BlockedCall connector = blockedUntilClosed(() -> channel.connect(new InetSocketAddress(LOOPBACK, full.getLocalPort())));
        channel.close();
        ended += join(connector);
      }
      for (Socket socket : filling) {
        socket.close();
      }
    }
    System.out.println("close-vs-connect: " + ended + "/" + rounds + " connects ended by close");
  }

  /** A thread blocked in select() over a registered channel with unread data; another closes the channel. */
  private static void closeVersusSelect() throws Exception {
    int deregistered = 0;
    try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
      for (int round = 0; round < ROUNDS; round++) {
        SocketChannel client = SocketChannel.open(listener.getLocalAddress());
        SocketChannel served = listener.accept();
        served.configureBlocking(false);
        try (Selector selector = Selector.open()) {
          SelectionKey key = served.register(selector, 0);
          Thread selecting = new Thread(() -> {
            try {
              while (selector.isOpen() && key.isValid()) {
                selector.select(50);
              }
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
              // the selector closed under us
            }
          });
          selecting.start();
          client.write(ByteBuffer.allocate(round % 2 == 0 ? 0 : 100));
          served.close();
          selecting.join(5_000);
          deregistered += key.isValid() ? 0 : 1;
        }
        client.close();
      }
    }
    System.out.println("close-vs-select: " + deregistered + "/" + ROUNDS + " keys cancelled by close");
  }

  /** A thread blocked in an interruptible channel read is interrupted: the JDK closes the channel itself. */
  private static void interrupts() throws Exception {
    int closedByInterrupt = 0;
    try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
      for (int round = 0; round < ROUNDS; round++) {
        SocketChannel client = SocketChannel.open(listener.getLocalAddress());
        SocketChannel served = listener.accept();
        if (round % 2 == 0) {
          client.write(ByteBuffer.allocate(64));
        }
        boolean[] interrupted = new boolean[1];
        CountDownLatch reading = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
          ByteBuffer buffer = ByteBuffer.allocate(16);
          try {
            reading.countDown();
            while (served.read(buffer) >= 0) {
              buffer.clear();
            }
          } catch (ClosedByInterruptException e) {
            interrupted[0] = true;
          } catch (IOException e) {
            // not expected: counted as not interrupted
          }
        });
        reader.start();
        reading.await();
        Thread.sleep(5);
        reader.interrupt();
        reader.join(5_000);
        closedByInterrupt += interrupted[0] && !served.isOpen() ? 1 : 0;
        client.close();
      }
    }
    System.out.println("interrupts: " + closedByInterrupt + "/" + ROUNDS + " channels closed by interrupt");
  }

  /**
   * {@code count} virtual threads each open, use and close one connection, served by virtual
   * threads too. JDK 21+: the executor is looked up by reflection, since this class is compiled for 17.
   */
  private static void virtualThreads(int count) throws Exception {
    int echoed = 0;
    ExecutorService threads = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    try (ServerSocket listener = new ServerSocket(0, 4096, LOOPBACK)) {
      threads.submit(() -> {
        for (int i = 0; i < count; i++) {
          Socket socket = listener.accept();
          threads.submit(() -> {
            try (socket) {
              socket.getOutputStream().write(socket.getInputStream().readNBytes(8));
            }
            return null;
          });
        }
        return null;
      });
      // At most 256 connections open at once: beyond the listener's queue the kernel drops SYNs,
      // and each retry waits a second or more; the threads themselves all exist at once.
      java.util.concurrent.Semaphore open = new java.util.concurrent.Semaphore(256);
      List<Future<Boolean>> clients = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        clients.add(threads.submit(() -> {
          open.acquire();
          try (Socket socket = new Socket(LOOPBACK, listener.getLocalPort())) {
            socket.getOutputStream().write(new byte[8]);
            return socket.getInputStream().readNBytes(8).length == 8;
          } finally {
            open.release();
          }
        }));
      }
      for (Future<Boolean> client : clients) {
        echoed += client.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
    } finally {
      threads.shutdownNow();
    }
    System.out.println("virtual-threads: " + echoed + "/" + count + " connections echoed");
  }

  /** Threads close sockets in a loop while main calls System.exit(3) in the middle. */
  private static void exitMidClose() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 512, LOOPBACK)) {
      for (int t = 0; t < 8; t++) {
        Thread closer = new Thread(() -> {
          try {
            while (true) {
              Socket client = new Socket(LOOPBACK, listener.getLocalPort());
              client.getOutputStream().write(1);
              client.close();
            }
          } catch (IOException e) {
            // the JVM is going away
          }
        });
        closer.setDaemon(true);
        closer.start();
      }
      Thread server = new Thread(() -> {
        try {
          while (true) {
            listener.accept().close();
          }
        } catch (IOException e) {
          // closed at exit
        }
      });
      server.setDaemon(true);
      server.start();
      // A second of closing first: the exit, not the agent's start, is what this program tests.
      Thread.sleep(1_000);
      System.out.println("exit-mid-close: exiting with 3 while closing");
      System.exit(3);
    }
  }

  /** {@code count} connections, every {@code leakEvery}-th client socket dropped unclosed, under a small heap. */
  private static void leaks(int count, int leakEvery) throws Exception {
    int leaked = 0;
    try (ServerSocket listener = new ServerSocket(0, 512, LOOPBACK)) {
      Thread server = new Thread(() -> {
        try {
          while (true) {
            try (Socket served = listener.accept()) {
              served.getInputStream().read();
            }
          }
        } catch (IOException e) {
          // closed at the end
        }
      });
      server.start();
      for (int i = 0; i < count; i++) {
        Socket client = new Socket(LOOPBACK, listener.getLocalPort());
        client.getOutputStream().write(1);
        if (i % leakEvery == 0) {
          leaked++;
        } else {
          client.close();
        }
      }
      listener.close();
      server.join(10_000);
    }
    System.out.println("leaks: " + count + " connections, " + leaked + " leaked");
  }

  private interface Blocking {
    void run() throws Exception;
  }

  /** A call run on its own thread that records whether it ended with the exception a closed socket gives. */
  private static final class BlockedCall extends Thread {
    private final Blocking call;
    private volatile boolean endedByClose;

    BlockedCall(Blocking call) {
      this.call = call;
    }

    @Override
    public void run() {
      try {
        call.run();
      } catch (SocketException | ClosedChannelException e) {
        // Closed while blocked (SocketException "Socket closed", AsynchronousCloseException), or
        // before the call got to block (ClosedChannelException): either way ended by the close.
        endedByClose = true;
      } catch (Exception e) {
        // ended otherwise: not counted
      }
    }
  }

  /** Starts {@code call} and returns once it has had time to block. */
  private static BlockedCall blockedUntilClosed(Blocking call) throws InterruptedException {
    BlockedCall thread = new BlockedCall(call);
    thread.start();
    Thread.sleep(10);
    return thread;
  }

  /** 1 if the call ended, within 10 s, with the exception of a closed socket. */
  private static int join(BlockedCall thread) throws InterruptedException {
    thread.join(10_000);
    return !thread.isAlive() && thread.endedByClose ? 1 : 0;
  }
}
