package io.teardownguard.samples.blockinglingerclose;

import io.teardownguard.samples.support.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A report collector that is slow to start reading and has a small receive buffer, so a sender's
 * data waits, unacknowledged, in the sender's send queue until the collector gets to it.
 */
final class SlowCollector {

  /** How long the collector is busy elsewhere before it reads. */
  static final long BUSY_MILLIS = 1_000;

  private static final int CHUNK_BYTES = 8 * 1024;
  private static final long MAX_REPORT_BYTES = 16 * 1024 * 1024;

  private SlowCollector() {}

  /** Accepts one sender, reads its report to EOF after a busy spell, and closes; returns the size. */
  static long collectOne(ServerSocket listener) throws IOException, InterruptedException {
    try (Socket connection = Loopback.accept(listener)) {
      Thread.sleep(BUSY_MILLIS);
      InputStream in = connection.getInputStream();
      byte[] chunk = new byte[CHUNK_BYTES];
      long received = 0;
      while (received < MAX_REPORT_BYTES) {
        int read = in.read(chunk);
        if (read < 0) {
          break;
        }
        received += read;
      }
      return received;
    }
  }
}
