package io.teardownguard.samples.tlsclosediscardsdata;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/**
 * A TLS ingest endpoint that refuses a batch once it has read its header. Both ways answer
 * "REFUSED" and close; they differ in what happens to the body the client already sent.
 */
final class IngestServer {

  /** A 4-byte body length, then padding: what the server reads before it decides. */
  static final int HEADER_BYTES = 100;

  private IngestServer() {}

  /**
   * Answers and closes with the body unread. SSLSocket.close() reads the pending records and
   * throws them away (SSLSocketImpl deplete), so there is no RST: the client reads the answer and
   * a clean end of stream and never learns that the body was dropped.
   */
  static void refuseAfterHeader(SSLSocket socket) {
    try {
      readHeader(socket);
      answer(socket);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers, reads (and drops) the body the header declared, then closes: nothing is lost unseen. */
  static void refuseAfterDraining(SSLSocket socket) {
    try {
      int body = readHeader(socket);
      answer(socket);
      socket.getInputStream().readNBytes(body);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int readHeader(SSLSocket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] header = new byte[HEADER_BYTES];
    in.readFully(header);
    return ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
  }

  private static void answer(SSLSocket socket) throws IOException {
    socket.getOutputStream().write("REFUSED\n".getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }
}
