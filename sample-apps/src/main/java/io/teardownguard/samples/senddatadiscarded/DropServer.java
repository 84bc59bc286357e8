package io.teardownguard.samples.senddatadiscarded;

import io.teardownguard.samples.support.Lines;
import io.teardownguard.samples.support.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A drop box that speaks first, like SMTP or FTP: it greets each client, then stores everything
 * the client sends until end of stream. It is slow to start reading, so with its small receive
 * buffer most of a large upload waits in the client's send queue.
 */
final class DropServer {

  static final String GREETING = "220 Welcome";

  /** How long the server is busy elsewhere before it reads; the client is done sending by then. */
  private static final long BUSY_MILLIS = 300;

  private static final int CHUNK_BYTES = 8 * 1024;
  private static final long MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

  private DropServer() {}

  /**
   * Accepts one client, greets it, runs {@code greeted}, and after a busy spell reads what the
   * client sent; returns how much arrived and how the stream ended.
   */
  static String receiveOne(ServerSocket listener, Runnable greeted) throws IOException,
      InterruptedException {
    try (Socket connection = Loopback.accept(listener)) {
      Lines.write(connection.getOutputStream(), GREETING);
      greeted.run();
      Thread.sleep(BUSY_MILLIS);
      return receive(connection.getInputStream());
    }
  }

  private static String receive(InputStream in) {
    byte[] chunk = new byte[CHUNK_BYTES];
    long received = 0;
    try {
      while (received < MAX_UPLOAD_BYTES) {
        int read = in.read(chunk);
        if (read < 0) {
          return "received " + received + " bytes, then EOF";
        }
        received += read;
      }
      return "stopped after " + received + " bytes";
    } catch (IOException e) {
      return "received " + received + " bytes, then " + e.getMessage();
    }
  }
}
