package io.teardownguard.samples.support;

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
 * The TLS context of a sample's server and client: a certificate for 127.0.0.1, made when the
 * sample starts by the running JDK's keytool (no key ships with the samples), trusted by itself.
 */
public final class SelfSignedTls {
  private static final char[] PASSWORD = "samples".toCharArray();
  private static final long KEYTOOL_SECONDS = 30;

  private SelfSignedTls() {}

  public static SSLContext context() throws IOException, GeneralSecurityException, InterruptedException {
    Path directory = Files.createTempDirectory("tg-sample-tls");
    Path store = directory.resolve("sample.p12");
    try {
      Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
          "-genkeypair", "-alias", "sample", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
          "-ext", "SAN=ip:127.0.0.1", "-validity", "1", "-storetype", "PKCS12", "-keystore", store.toString(),
          "-storepass", new String(PASSWORD)).redirectErrorStream(true).start();
      String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!keytool.waitFor(KEYTOOL_SECONDS, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
        throw new IOException("keytool failed: " + output);
      }
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keys.load(in, PASSWORD);
      }
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, PASSWORD);
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(keys);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } finally {
      Files.deleteIfExists(store);
      Files.delete(directory);
    }
  }
}
