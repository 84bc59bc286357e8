import java.io.*;
import java.net.*;
import java.security.KeyStore;
import java.util.concurrent.*;
import javax.net.ssl.*;

/**
 * What SSLSocket.shutdownInput() does before the peer's close_notify, and what the peer sees: the
 * evidence behind the drizzle-close-tls miss (docs/checks/field-results.md). Loopback only.
 * Run, in a scratch directory (the key store is made for the run, never kept):
 *   keytool -genkeypair -keystore ks.p12 -storetype PKCS12 -storepass changeit -keypass changeit \
 *       -alias s -keyalg EC -dname CN=localhost -validity 2
 *   java TlsShutdownInput.java       (JDK 17 and 25)
 */
public class TlsShutdownInput {
  public static void main(String[] args) throws Exception {
    System.out.println("java " + System.getProperty("java.version"));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream("ks.p12")) { ks.load(in, "changeit".toCharArray()); }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(ks, "changeit".toCharArray());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("SunX509");
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Future<String> peer = pool.submit(() -> {
        try (SSLSocket s = (SSLSocket) server.accept()) {
          s.setSoTimeout(3000);
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream();
          in.read(); out.write(new byte[] {1, 2}); out.flush();
          StringBuilder seen = new StringBuilder();
          try {
            int b;
            while ((b = in.read()) != -1) seen.append("byte ").append(b).append("; ");
            seen.append("EOF (close_notify or FIN)");
          } catch (IOException e) { seen.append("read threw ").append(e); }
          return seen.toString();
        }
      });
      SSLSocket client = (SSLSocket) ctx.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
      client.getOutputStream().write(9); client.getOutputStream().flush();
      client.getInputStream().read(); // one of the two bytes: the rest stays unread
      try { client.shutdownInput(); System.out.println("shutdownInput: returned"); }
      catch (Exception e) { System.out.println("shutdownInput: threw " + e + " (IOException: " + (e instanceof IOException) + ")"); }
      System.out.println("after: isClosed=" + client.isClosed() + " isInputShutdown=" + client.isInputShutdown() + " isOutputShutdown=" + client.isOutputShutdown());
      try { client.getOutputStream().write(7); client.getOutputStream().flush(); System.out.println("write after: ok"); }
      catch (Exception e) { System.out.println("write after: threw " + e); }
      try { client.shutdownOutput(); System.out.println("shutdownOutput: returned"); }
      catch (Exception e) { System.out.println("shutdownOutput: threw " + e); }
      client.close();
      System.out.println("peer saw: " + peer.get(5, TimeUnit.SECONDS));
    } finally { pool.shutdownNow(); }
  }
}
