package io.teardownguard.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Makes graceful connections on loopback in one thread (the client writes 100 B, the server reads
 * them, writes 100 B and closes, the client reads them and EOF and closes: two closes that find
 * nothing) and prints the bytes this thread allocated per connection over the last {@code args[0]},
 * after as many to warm up: {@code bytes per connection N}. A count, not a timing.
 */
public final class QuietCloses {
  private static final byte[] PAYLOAD = new byte[100];

  private QuietCloses() {}

  public static void main(String[] args) throws IOException {
    int connections = Integer.parseInt(args[0]);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      for (int i = 0; i < connections; i++) {
        connection(listener);
      }
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < connections; i++) {
        connection(listener);
      }
      long after = threads.getCurrentThreadAllocatedBytes();
      System.out.println("bytes per connection " + (after - before) / connections);
    }
  }

  private static void connection(ServerSocket listener) throws IOException {
    try (Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
        Socket server = listener.accept()) {
      client.getOutputStream().write(PAYLOAD);
      server.getInputStream().readNBytes(PAYLOAD.length);
      server.getOutputStream().write(PAYLOAD);
      server.close();
      InputStream in = client.getInputStream();
      in.readNBytes(PAYLOAD.length);
      if (in.read() != -1) {
        throw new IOException("no EOF after the server's close");
      }
    }
  }
}
