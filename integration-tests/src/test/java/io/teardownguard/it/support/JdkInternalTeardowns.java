package io.teardownguard.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A child JVM for the agent tests: teardowns the JDK makes on the application's behalf, and
 * calls that take no effect. Each case runs on threads named after it, so that the test can pick
 * its lines out of the report:
 *
 * <ul>
 *   <li>{@code tls PROTOCOL}: SSLSocket closes after everything was read, on a plain SSLSocket
 *       ("tls-plain-*"), layered over a connected Socket with autoClose ("tls-layered-*") and
 *       without it, the application then closing the Socket beneath itself ("tls-kept-*");
 *   <li>{@code http413}: the JDK's HttpServer, whose handler {@link RejectingHandler} answers 413
 *       without reading the request body;
 *   <li>{@code failed-calls}: shutdowns of a closed channel whose descriptor number a new
 *       connection with 777 unread bytes now holds, and of an unconnected channel;
 *   <li>{@code in-flight}: shutdownOutput() with 300 bytes in flight (the peer delays its ACK) and
 *       80 held back by Nagle's rule behind them;
 *   <li>{@code unix}: a Unix-domain channel closed with 100 bytes unread, then the same with TCP
 *       ("tcp-control"), which the agent does see.
 * </ul>
 *
 * Prints what the peers observed and "done".
 */
public final class JdkInternalTeardowns {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int MESSAGE = 100;
  private static final long TIMEOUT_SECONDS = 20;

  private JdkInternalTeardowns() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "tls" -> tls(args[1]);
      case "http413" -> http413();
      case "failed-calls" -> onThread("failed-calls", JdkInternalTeardowns::failedCalls);
      case "in-flight" -> {
        // The first teardown pays for the agent's set-up (hundreds of ms): the ACK would come first.
        onThread("warm-up", JdkInternalTeardowns::shutdownWithDataInFlight);
        onThread("in-flight", JdkInternalTeardowns::shutdownWithDataInFlight);
      }
      case "unix" -> {
        onThread("unix", JdkInternalTeardowns::unixDomain);
        onThread("tcp-control", JdkInternalTeardowns::tcpControl);
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.out.println("done");
  }

  // ---- TLS ---------------------------------------------------------------------------------

  private static void tls(String protocol) throws Exception {
    SSLContext context = SelfSignedTls.create();
    try (SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, LOOPBACK)) {
      listener.setEnabledProtocols(new String[] {protocol});
      for (String layering : new String[] {"plain", "layered", "kept"}) {
        CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
          Thread.currentThread().setName("tls-" + layering + "-server");
          try (SSLSocket accepted = (SSLSocket) listener.accept()) {
            readFully(accepted.getInputStream(), MESSAGE);
            accepted.getOutputStream().write(new byte[MESSAGE]);
            accepted.getOutputStream().flush();
            closeTls(accepted);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
        onThread("tls-" + layering + "-client", () -> client(context, protocol, listener.getLocalPort(), layering));
        server.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  /** Writes a request, reads the whole answer to end of stream, then closes. */
  private static void client(SSLContext context, String protocol, int port, String layering) throws IOException {
    Socket plain = null;
    SSLSocket tls;
    if (layering.equals("plain")) {
      tls = (SSLSocket) context.getSocketFactory().createSocket(LOOPBACK, port);
    } else {
      plain = new Socket(LOOPBACK, port);
      tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port, layering.equals("layered"));
    }
    tls.setEnabledProtocols(new String[] {protocol});
    tls.setUseClientMode(true);
    tls.getOutputStream().write(new byte[MESSAGE]);
    tls.getOutputStream().flush();
    readFully(tls.getInputStream(), MESSAGE);
    int end = tls.getInputStream().read();
    System.out.println("tls-" + layering + " client read after the answer: " + end);
    closeTls(tls);
    if (plain != null && !plain.isClosed()) {
      plain.close(); // autoClose false: the Socket beneath is the application's to close
    }
  }

  /** The call site the agent must name for a TLS close. */
  static void closeTls(SSLSocket socket) throws IOException {
    socket.close();
  }

  // ---- HttpServer ----------------------------------------------------------------------------

  /** Refuses every upload at once: 413, the request body left unread. */
  static final class RejectingHandler implements HttpHandler {
    @Override
    public void handle(HttpExchange exchange) throws IOException {
      exchange.sendResponseHeaders(413, -1);
      exchange.close();
    }
  }

  private static void http413() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 50);
    server.createContext("/upload", new RejectingHandler());
    server.start();
    try (Socket client = new Socket(LOOPBACK, server.getAddress().getPort())) {
      int body = 200_000; // more than the server drains (sun.net.httpserver.maxReqDrain, 64 KiB)
      CompletableFuture<String> upload = CompletableFuture.supplyAsync(() -> {
        try {
          client.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body
              + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          client.getOutputStream().write(new byte[body]);
          return "sent";
        } catch (IOException e) {
          return "write failed: " + e.getMessage();
        }
      });
      client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
      StringBuilder answer = new StringBuilder();
      try {
        byte[] buffer = new byte[4096];
        for (int n; (n = client.getInputStream().read(buffer)) > 0; ) {
          answer.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
        }
        answer.append("[EOF]");
      } catch (IOException e) {
        answer.append("[").append(e.getMessage()).append("]");
      }
      System.out.println("http413 client read: " + answer.toString().lines().findFirst().orElse("") + " ... "
          + upload.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } finally {
      server.stop(0);
    }
  }

  // ---- calls that take no effect -----------------------------------------------------------

  private static void failedCalls() throws IOException, InterruptedException {
    try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
      SocketChannel closed = SocketChannel.open(listener.getLocalAddress());
      listener.accept().close();
      closed.close();
      // The lowest free number: the closed channel's, now this new connection's.
      try (SocketChannel reused = SocketChannel.open(listener.getLocalAddress());
          SocketChannel server = listener.accept()) {
        server.write(ByteBuffer.allocate(777));
        Thread.sleep(100); // the 777 bytes reach the new connection's receive queue
        System.out.println("failed-calls shutdownInput of a closed channel: " + attempt(closed::shutdownInput));
        System.out.println("failed-calls shutdownOutput of a closed channel: " + attempt(closed::shutdownOutput));
        try (SocketChannel unconnected = SocketChannel.open()) {
          System.out.println("failed-calls shutdownInput unconnected: " + attempt(unconnected::shutdownInput));
          System.out.println("failed-calls shutdownOutput unconnected: " + attempt(unconnected::shutdownOutput));
        }
        System.out.println("failed-calls new connection still holds: " + reused.read(ByteBuffer.allocate(1000)));
      }
    }
  }

  private interface Call {
    Object run() throws IOException;
  }

  private static String attempt(Call call) {
    try {
      call.run();
      return "returned";
    } catch (IOException | RuntimeException e) {
      return "threw " + e.getClass().getSimpleName();
    }
  }

  // ---- bytes in flight ----------------------------------------------------------------------

  /**
   * One exchange first (a fresh connection's first segments are acknowledged at once whatever
   * TCP_QUICKACK says), then TCP_QUICKACK off on the peer: its kernel delays the ACK of the 300
   * bytes (less than its rcv_mss of 536, __tcp_ack_snd_check), and the 80 wait behind them for
   * Nagle's rule (tcp_minshall_check). Prints the local port for the test's capture.
   */
  private static void shutdownWithDataInFlight() throws IOException {
    try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        Socket peer = new Socket(LOOPBACK, ((InetSocketAddress) listener.getLocalAddress()).getPort());
        Socket local = listener.accept().socket()) {
      peer.getOutputStream().write(new byte[10]);
      readFully(local.getInputStream(), 10);
      local.getOutputStream().write(new byte[10]);
      readFully(peer.getInputStream(), 10);
      peer.setOption(jdk.net.ExtendedSocketOptions.TCP_QUICKACK, false);
      local.getOutputStream().write(new byte[300]);
      local.getOutputStream().write(new byte[80]);
      local.shutdownOutput();
      String name = Thread.currentThread().getName();
      System.out.println(name + " local port " + local.getLocalPort());
      peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
      System.out.println(name + " peer read " + peer.getInputStream().readAllBytes().length);
    }
  }

  // ---- Unix-domain ---------------------------------------------------------------------------

  private static void unixDomain() throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory("tg-unix");
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(directory.resolve("socket"));
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
        SocketChannel client = SocketChannel.open(address)) {
      SocketChannel server = listener.accept();
      client.write(ByteBuffer.allocate(MESSAGE));
      Thread.sleep(50);
      server.close(); // 100 bytes unread
      String seen;
      try {
        seen = "read " + client.read(ByteBuffer.allocate(MESSAGE));
      } catch (IOException e) {
        seen = "read threw " + e.getMessage();
      }
      System.out.println("unix peer after close with unread bytes: " + seen);
    } finally {
      Files.deleteIfExists(address.getPath());
      Files.delete(directory);
    }
  }

  private static void tcpControl() throws IOException, InterruptedException {
    try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        SocketChannel client = SocketChannel.open(listener.getLocalAddress())) {
      SocketChannel server = listener.accept();
      client.write(ByteBuffer.allocate(MESSAGE));
      Thread.sleep(50);
      server.close(); // 100 bytes unread: a reset
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} on a new thread named {@code name}, bounded in time. */
  private static void onThread(String name, Body body) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        body.run();
        done.complete(null);
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    }, name);
    thread.start();
    done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private static void readFully(InputStream in, int bytes) throws IOException {
    byte[] buffer = new byte[bytes];
    for (int read = 0; read < bytes; ) {
      int n = in.read(buffer, read, bytes - read);
      if (n < 0) {
        throw new IOException("end of stream after " + read + " bytes");
      }
      read += n;
    }
  }
}
