package io.teardownguard.conformance.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS scenarios' key and certificate: an EC key pair with a self-signed certificate, made at
 * run time by the running JDK's keytool in an owner-only temporary directory (deleted at exit), and
 * loaded by both ends: this JVM, and the peer's JVM on a link, which gets the file's path.
 */
public final class TlsContext {
  /**
   * A handshake's bound: the first one in a JVM loads and compiles JSSE and its EC code, measured
   * above 2 s in the peer's fresh JVM on the link on a loaded machine.
   */
  public static final int HANDSHAKE_TIMEOUT_MILLIS = 15_000;
  private static final char[] PASSWORD = "conformance".toCharArray();
  private static final long KEYTOOL_SECONDS = 60;
  private static Path store;

  private TlsContext() {}

  /** The key store, made on first use. */
  public static synchronized Path keyStore() throws IOException {
    if (store == null) {
      Path directory = Files.createTempDirectory("tg-conformance-tls");
      directory.toFile().deleteOnExit();
      Path file = directory.resolve("self-signed.p12");
      Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
          "-genkeypair", "-alias", "conformance", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
          "CN=teardown-guard conformance", "-validity", "1", "-storetype", "PKCS12", "-keystore", file.toString(),
          "-storepass", new String(PASSWORD)).redirectErrorStream(true).start();
      String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (!keytool.waitFor(KEYTOOL_SECONDS, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
          throw new IOException("keytool failed: " + output);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while keytool ran", e);
      }
      file.toFile().deleteOnExit();
      store = file;
    }
    return store;
  }

  /** A context that presents the key in {@code file} and trusts its certificate alone. */
  public static SSLContext load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, PASSWORD);
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, PASSWORD);
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(keys);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS context from " + file + ": " + e, e);
    }
  }

  /**
   * Layers an SSLSocket over the connected {@code socket} (autoClose: closing it closes the socket
   * beneath, as a plain SSLSocket's close does), in {@code clientMode}, speaking {@code protocol} only.
   */
  public static javax.net.ssl.SSLSocket layer(java.net.Socket socket, boolean clientMode, String protocol,
      Path keyStore) throws IOException {
    return layer(socket, clientMode, protocol, keyStore, true);
  }

  /** The same, with {@code autoClose} false leaving the socket beneath open when the SSLSocket closes. */
  public static javax.net.ssl.SSLSocket layer(java.net.Socket socket, boolean clientMode, String protocol,
      Path keyStore, boolean autoClose) throws IOException {
    javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) load(keyStore).getSocketFactory()
        .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), autoClose);
    tls.setUseClientMode(clientMode);
    tls.setEnabledProtocols(new String[] {protocol});
    return tls;
  }
}
