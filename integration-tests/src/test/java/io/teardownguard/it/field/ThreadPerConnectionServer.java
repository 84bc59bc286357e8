package io.teardownguard.it.field;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The application's own blocking server under {@link PlainHttpServer} and {@link RespPeer}: a
 * listener on 127.0.0.1, one thread per accepted connection running {@code connection}, and a
 * close that stops accepting and waits for every connection's thread.
 */
final class ThreadPerConnectionServer implements AutoCloseable {
  private static final long JOIN_MILLIS = 5_000;

  private final ServerSocket listener;
  private final String name;
  private final Consumer<Socket> connection;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  ThreadPerConnectionServer(String name, Consumer<Socket> connection) throws IOException {
    this.name = name;
    this.connection = connection;
    listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread acceptor = new Thread(this::accept, name + "-acceptor");
    acceptor.start();
    threads.add(acceptor);
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (true) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return;
      }
      Thread thread = new Thread(() -> connection.accept(socket), name + "-" + socket.getPort());
      thread.start();
      threads.add(thread);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    listener.close();
    for (Thread thread : threads) {
      thread.join(JOIN_MILLIS);
    }
  }
}
