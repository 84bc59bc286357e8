package io.teardownguard.it.field;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.List;
import io.teardownguard.it.support.SelfSignedTls;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The JDK's TLS ({@code SSLSocket}, JSSE): its {@code close()} sends close_notify and then shuts
 * down and closes the socket beneath itself, three calls the application never made. A client
 * that read everything and closes once is a clean teardown; one that closes with the response
 * unread resets.
 */
final class TlsCases {
  private static final List<String> SITES = List.of(FieldCase.APPLICATION);
  private static final int RESPONSE_BYTES = 64 * 1024;

  private TlsCases() {}

  /**
   * JSSE's close (TLS 1.3) sends close_notify and FIN, skips what is queued to read
   * ({@code SSLSocketInputRecord.deplete}), shuts input and closes; the peer answers close_notify
   * with its own at the same moment. When that answer lands after the skip, the client resets
   * (data after shutdown or close), and the server's FIN, sent just after its answer, may find the
   * connection already reset: two endpoints of the case's one connection.
   */
  private static final int CLOSE_NOTIFY_RACES = 2;

  static List<FieldCase> cases() {
    return List.of(
        new FieldCase("tls-close-after-reading-everything", SITES, () -> exchange(true), true)
            .racing(CLOSE_NOTIFY_RACES),
        new FieldCase("tls-close-with-response-unread", SITES, () -> exchange(false)).racing(CLOSE_NOTIFY_RACES));
  }

  /** One TLS exchange: 5 bytes up, 64 KiB down; the client reads all of it, or only the first byte. */
  private static void exchange(boolean readAll) throws Exception {
    SSLContext context = context();
    try (SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
      Thread server = new Thread(() -> serve(listener), "tls-server");
      server.start();
      try (SSLSocket client = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", listener.getLocalPort())) {
        client.setSoTimeout(5_000);
        client.getOutputStream().write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        InputStream in = client.getInputStream();
        if (readAll) {
          in.readNBytes(RESPONSE_BYTES);
        } else {
          in.read();
          Thread.sleep(200);
        }
      }
      server.join(10_000);
    }
  }

  /** Answers 64 KiB, then reads until the client's close_notify or reset, and closes. */
  private static void serve(SSLServerSocket listener) {
    try (SSLSocket socket = (SSLSocket) listener.accept()) {
      socket.setSoTimeout(5_000);
      InputStream in = socket.getInputStream();
      in.readNBytes(5);
      OutputStream out = socket.getOutputStream();
      out.write(new byte[RESPONSE_BYTES]);
      out.flush();
      while (in.read() >= 0) {
        // until close_notify
      }
    } catch (IOException e) {
      // reset by the client
    }
  }

  private static SSLContext cached;

  /** One self-signed context for the whole run (keytool takes a while). */
  private static synchronized SSLContext context() throws Exception {
    if (cached == null) {
      cached = SelfSignedTls.create();
    }
    return cached;
  }
}
