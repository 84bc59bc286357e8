package io.teardownguard.agent.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.conformance.endpoint.TlsContext;
import io.teardownguard.model.tls.TlsSnapshot;
import io.teardownguard.model.tls.TlsVersion;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The TLS layer's fields read on real SSLSockets over loopback, on the JDK that runs the test (17 and 25). */
final class TlsSocketsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int MESSAGE = 5_000;
  private static final int READ = 100;

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void aPartialReadLeavesTheRestOfTheRecordDecryptedAndUnread(String protocol) throws Exception {
    SSLContext context = TlsContext.load(TlsContext.keyStore());
    TlsSockets tls = TlsSockets.create();
    try (SSLServerSocket listener =
        (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1, LOOPBACK)) {
      listener.setEnabledProtocols(new String[] {protocol});
      listener.setSoTimeout(10_000);
      CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
        try (SSLSocket socket =
            (SSLSocket) context.getSocketFactory().createSocket(LOOPBACK, listener.getLocalPort())) {
          socket.getOutputStream().write(new byte[MESSAGE]);
          socket.getOutputStream().flush();
          socket.getInputStream().read(); // until the server closes
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      try (SSLSocket server = (SSLSocket) listener.accept()) {
        server.setSoTimeout(10_000);
        TlsSnapshot before = tls.read(server);
        assertEquals(TlsVersion.NOT_NEGOTIATED, before.version());
        InputStream in = server.getInputStream();
        int read = 0;
        while (read < READ) {
          read += in.read(new byte[READ - read]);
        }

        TlsSnapshot after = tls.read(server);

        assertEquals(protocol.equals("TLSv1.3") ? TlsVersion.TLS_1_3 : TlsVersion.TLS_1_2, after.version());
        assertFalse(after.clientMode());
        assertFalse(after.layered());
        assertFalse(after.inboundClosed());
        assertEquals(in.available(), after.decryptedUnread(), "what AppInputStream.available() says");
        assertTrue(after.decryptedUnread() > 0 && after.decryptedUnread() <= MESSAGE - READ, after::toString);
        assertSame(server, tls.socketBeneath(server));
      }
      client.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aLayeredSocketNamesTheSocketBeneathAndItsAutoClose() throws Exception {
    SSLContext context = TlsContext.load(TlsContext.keyStore());
    TlsSockets tls = TlsSockets.create();
    try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1, LOOPBACK);
        Socket plain = new Socket(LOOPBACK, listener.getLocalPort());
        Socket accepted = listener.accept()) {
      SSLSocket layered = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), false);
      layered.setUseClientMode(true);

      TlsSnapshot snapshot = tls.read(layered);

      assertTrue(snapshot.layered());
      assertFalse(snapshot.autoClose());
      assertTrue(snapshot.clientMode());
      assertFalse(snapshot.closesSocketBeneath());
      assertSame(plain, tls.socketBeneath(layered));
      assertTrue(tls.isJdkTls(layered));
      assertFalse(tls.isJdkTls(accepted));
    }
  }
}
