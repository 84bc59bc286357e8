package io.teardownguard.samples.resetondataaftershutdown;

import io.teardownguard.samples.support.Drain;
import io.teardownguard.samples.support.Lines;
import io.teardownguard.samples.support.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;

/** A client of {@link IngestServer}: opens a batch, then sends its chunks as they are ready. */
final class BatchClient {

  static final int CHUNKS = 3;

  /** Chunks become ready one by one; the first comes well after the server's acknowledgement. */
  private static final long CHUNK_INTERVAL_MILLIS = 300;

  /** A reply line and EOF need far less; the bound only keeps the read loop finite. */
  private static final long MAX_TRAILING_BYTES = 1024;

  private BatchClient() {}

  /** Sends one batch on a new connection and returns what became of its chunks. */
  static String sendBatch(int port) throws IOException, InterruptedException {
    try (Socket socket = Loopback.connect(port)) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      Lines.write(out, "BATCH 1");
      String ack = Lines.read(in);
      if (ack == null) {
        throw new ProtocolException("server closed without acknowledging");
      }
      String chunks = sendChunks(out);
      Drain.toEof(in, MAX_TRAILING_BYTES);
      return "got \"" + ack + "\"; " + chunks;
    }
  }

  private static String sendChunks(OutputStream out) throws InterruptedException {
    for (int chunk = 1; chunk <= CHUNKS; chunk++) {
      Thread.sleep(CHUNK_INTERVAL_MILLIS);
      try {
        Lines.write(out, "CHUNK " + chunk + " of " + CHUNKS);
      } catch (IOException e) {
        return "chunk " + chunk + " of " + CHUNKS + " failed (" + e.getMessage() + ")";
      }
    }
    return "all " + CHUNKS + " chunks sent";
  }
}
