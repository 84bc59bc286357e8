package io.teardownguard.samples.support;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and discards what the peer still sends, so that the close that follows finds an empty
 * receive queue and ends with FIN, not RST (net/ipv4/tcp.c {@code __tcp_close()} resets only
 * when data was unread).
 */
public final class Drain {

  private static final int CHUNK_BYTES = 8 * 1024;

  private Drain() {}

  /**
   * Reads until end of stream or until {@code limit} bytes, whichever comes first, and returns
   * the number of bytes read. The limit bounds the loop; the socket's SO_TIMEOUT bounds each read.
   */
  public static long toEof(InputStream in, long limit) throws IOException {
    byte[] chunk = new byte[CHUNK_BYTES];
    long total = 0;
    while (total < limit) {
      int read = in.read(chunk, 0, (int) Math.min(chunk.length, limit - total));
      if (read < 0) {
        return total;
      }
      total += read;
    }
    return total;
  }
}
