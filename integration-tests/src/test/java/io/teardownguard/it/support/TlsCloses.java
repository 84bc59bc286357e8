package io.teardownguard.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server and client on loopback (JDK SSLServerSocket and SSLSocket, a self-signed context made
 * now), run under the agent by {@code TlsCloseIT}: {@code TlsCloses PROTOCOL CASE}. Prints, per
 * case, the two ports and what the client observed, then "done".
 *
 * <ul>
 *   <li>{@code discard}: the client sends a 100-byte and a 5,000-byte message; the server reads 100
 *       bytes and closes (the case); the client then reads and closes.
 *   <li>{@code drained}: the same, but the server reads all 5,100 bytes before it closes.
 *   <li>{@code client-first}: the client sends 100 bytes, reads a 10-byte answer and closes first;
 *       the server reads to the end of the stream, then closes.
 * </ul>
 */
public final class TlsCloses {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final long TIMEOUT_SECONDS = 30;
  private static final int FIRST = 100;
  private static final int SECOND = 5_000;
  private static final int ANSWER = 10;

  private TlsCloses() {}

  public static void main(String[] args) throws Exception {
    String protocol = args[0];
    String shape = args[1];
    SSLContext context = SelfSignedTls.create();
    try (SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5, LOOPBACK)) {
      listener.setEnabledProtocols(new String[] {protocol});
      CountDownLatch sent = new CountDownLatch(1);
      CountDownLatch serverClosed = new CountDownLatch(1);
      CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
        Thread.currentThread().setName("tls-server");
        try {
          SSLSocket accepted = (SSLSocket) listener.accept();
          serve(shape, accepted, sent);
          serverClosed.countDown();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.currentThread().setName("tls-client");
      try (SSLSocket client = (SSLSocket) context.getSocketFactory().createSocket(LOOPBACK, listener.getLocalPort())) {
        client.setEnabledProtocols(new String[] {protocol});
        client.startHandshake();
        System.out.println(shape + " client port " + client.getLocalPort() + " server port " + listener.getLocalPort());
        client.getOutputStream().write(new byte[FIRST]);
        client.getOutputStream().flush();
        if (shape.equals("client-first")) {
          readFully(client.getInputStream(), ANSWER);
        } else {
          client.getOutputStream().write(new byte[SECOND]);
          client.getOutputStream().flush();
          sent.countDown();
          serverClosed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
          System.out.println(shape + " client read after the server's close: " + client.getInputStream().read());
        }
      }
      server.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    System.out.println("done");
  }

  private static void serve(String shape, SSLSocket accepted, CountDownLatch sent) throws Exception {
    InputStream in = accepted.getInputStream();
    switch (shape) {
      case "discard" -> {
        readFully(in, FIRST);
        sent.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Thread.sleep(200); // the 5,000-byte record is in the server's receive queue
        closeAfterFirstMessage(accepted);
      }
      case "drained" -> {
        readFully(in, FIRST + SECOND);
        closeDrained(accepted);
      }
      case "client-first" -> {
        readFully(in, FIRST);
        accepted.getOutputStream().write(new byte[ANSWER]);
        accepted.getOutputStream().flush();
        System.out.println(shape + " server read at the end: " + in.read());
        closeDrained(accepted);
      }
      default -> throw new IllegalArgumentException(shape);
    }
  }

  /** The call site the agent must name for the silent discard. */
  static void closeAfterFirstMessage(SSLSocket socket) throws IOException {
    socket.close();
  }

  static void closeDrained(SSLSocket socket) throws IOException {
    socket.close();
  }

  private static void readFully(InputStream in, int bytes) throws IOException {
    byte[] buffer = new byte[bytes];
    int read = 0;
    while (read < bytes) {
      int n = in.read(buffer, read, bytes - read);
      if (n < 0) {
        throw new IOException("end of stream after " + read + " of " + bytes + " bytes");
      }
      read += n;
    }
  }
}
