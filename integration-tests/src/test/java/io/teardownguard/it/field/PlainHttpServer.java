package io.teardownguard.it.field;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The application's own keep-alive HTTP/1.1 server for the client cases: one thread per
 * connection, every response {@code bodyBytes} long, and it closes a connection only after
 * reading its end (so all it sends is a FIN after the client's), or after a reset. What the
 * client library does is then all that is left to see.
 */
final class PlainHttpServer implements AutoCloseable {
  private final ServerSocket listener;
  private final int bodyBytes;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  PlainHttpServer(int bodyBytes) throws IOException {
    this.bodyBytes = bodyBytes;
    listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread acceptor = new Thread(this::accept, "plain-http-acceptor");
    acceptor.start();
    threads.add(acceptor);
  }

  int port() {
    return listener.getLocalPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  private void accept() {
    while (true) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return;
      }
      Thread connection = new Thread(() -> serve(socket), "plain-http-" + socket.getPort());
      connection.start();
      threads.add(connection);
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      byte[] body = new byte[bodyBytes];
      while (readHead(in)) {
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + bodyBytes + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
    } catch (IOException e) {
      // reset by the client: close as any server would
    }
  }

  /** Reads one request head (these clients send no body on GET); false at end of stream. */
  private static boolean readHead(InputStream in) throws IOException {
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return true;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    listener.close();
    for (Thread thread : threads) {
      thread.join(5_000);
    }
  }
}
