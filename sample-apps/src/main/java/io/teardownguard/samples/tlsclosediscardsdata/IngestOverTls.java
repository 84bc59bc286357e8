package io.teardownguard.samples.tlsclosediscardsdata;

import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Peer;
import io.teardownguard.samples.support.SelfSignedTls;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * One batch sent over TLS to an {@link IngestServer} that refuses it after its header: the client
 * writes a {@value IngestServer#HEADER_BYTES}-byte header declaring a {@value #BODY_BYTES}-byte
 * body and the body, in one write, then reads the server's answer to the end of the stream.
 */
final class IngestOverTls {

  static final int BODY_BYTES = 5_000;

  private IngestOverTls() {}

  /** Runs the batch, ending the server's connection with {@code refusal}; returns a summary. */
  static String run(Consumer<SSLSocket> refusal) throws Exception {
    SSLContext context = SelfSignedTls.context();
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (SSLServerSocket listener =
        (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5, loopback)) {
      listener.setSoTimeout(Loopback.TIMEOUT_MILLIS);
      Peer<String> client = Peer.start("ingest-client", () -> send(context, loopback, listener.getLocalPort()));
      try (SSLSocket accepted = (SSLSocket) listener.accept()) {
        accepted.setSoTimeout(Loopback.TIMEOUT_MILLIS);
        refusal.accept(accepted);
      }
      return "batch of " + BODY_BYTES + " bytes refused after its header; client: " + client.await();
    }
  }

  private static String send(SSLContext context, InetAddress address, int port) throws Exception {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address, port)) {
      socket.setSoTimeout(Loopback.TIMEOUT_MILLIS);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      byte[] batch = new byte[IngestServer.HEADER_BYTES + BODY_BYTES];
      batch[0] = (byte) (BODY_BYTES >>> 24);
      batch[1] = (byte) (BODY_BYTES >>> 16);
      batch[2] = (byte) (BODY_BYTES >>> 8);
      batch[3] = (byte) BODY_BYTES;
      out.write(batch);
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
      return "answer \"" + answer.strip() + "\", then end of stream, no error";
    }
  }
}
