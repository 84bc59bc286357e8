package io.teardownguard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

/**
 * One operation of a measured workload, repeated by {@link WorkloadChild}. Both ends of every
 * connection live in the measuring JVM, so the agent (when present) sees every close.
 */
interface Workload extends AutoCloseable {
  List<String> NAMES = List.of("churn", "bulk", "unsafe-close");
  /** The churn request and response, and what the unsafe close leaves unread. */
  int SMALL_BYTES = 100;
  /** One bulk write. */
  int BULK_BYTES = 64 * 1024;

  void once() throws IOException;

  @Override
  void close() throws IOException;

  /** The workload called {@code name} (one of {@link #NAMES}), ready to run. */
  static Workload open(String name) throws IOException {
    return switch (name) {
      case "churn" -> new Connections(SocketPair.listen(), false);
      case "bulk" -> Bulk.start(SocketPair.listen());
      case "unsafe-close" -> new Connections(SocketPair.listen(), true);
      default -> throw new Flags.BadFlagException("workload: expected one of " + NAMES + ", got '" + name + "'");
    };
  }

  /** Reads exactly {@code buffer.length} bytes, then expects EOF if {@code thenEof}. */
  static void expect(InputStream in, byte[] buffer, boolean thenEof) throws IOException {
    int read = in.readNBytes(buffer, 0, buffer.length);
    if (read != buffer.length) {
      throw new IOException("expected " + buffer.length + " bytes, got " + read);
    }
    if (thenEof && in.read() != -1) {
      throw new IOException("expected EOF after " + buffer.length + " bytes");
    }
  }

  /**
   * One connection per operation. Churn: connect, write 100 B, the server reads them, answers
   * 100 B and closes; the client reads the answer and EOF, then closes. Both closes are
   * graceful: nothing is unread, so each sends a FIN and the agent has nothing to report (its
   * sampled SERVER_SIDE_TIME_WAIT aside). Unsafe: the server closes without reading the 100 B,
   * so the kernel answers with a RST (tcp_close(): data_was_unread) and the agent reports
   * CLOSE_WITH_UNREAD_DATA at the same call site every time. On loopback the bytes are queued
   * at the server by the time write() returns (the softirq runs when the sender re-enables
   * bottom halves); the agent check counts the findings to prove it.
   */
  record Connections(ServerSocket listener, boolean unsafe, byte[] buffer) implements Workload {
    Connections(ServerSocket listener, boolean unsafe) {
      this(listener, unsafe, new byte[SMALL_BYTES]);
    }

    @Override
    public void once() throws IOException {
      SocketPair pair = SocketPair.open(listener);
      try (Socket client = pair.client()) {
        // The server closes first and holds TIME_WAIT, so the client's port is free again at once.
        try (Socket server = pair.server()) {
          client.getOutputStream().write(buffer);
          if (!unsafe) {
            expect(server.getInputStream(), buffer, false);
            server.getOutputStream().write(buffer);
          }
        }
        if (!unsafe) {
          expect(client.getInputStream(), buffer, true);
        }
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }

  /** 64 KiB writes over one connection; a reader thread drains the server side. */
  record Bulk(SocketPair pair, Thread reader, IOException[] readerFailure, byte[] chunk) implements Workload {
    static Bulk start(ServerSocket listener) throws IOException {
      SocketPair pair;
      try (listener) {
        pair = SocketPair.open(listener);
      }
      IOException[] failure = new IOException[1];
      InputStream in = pair.server().getInputStream();
      Thread reader = new Thread(() -> drain(in, failure), "bulk-reader");
      reader.setDaemon(true);
      reader.start();
      return new Bulk(pair, reader, failure, new byte[BULK_BYTES]);
    }

    private static void drain(InputStream in, IOException[] failure) {
      byte[] buffer = new byte[BULK_BYTES];
      try {
        while (in.read(buffer) >= 0) {
          // discarded: only the writer's rate is measured
        }
      } catch (IOException e) {
        failure[0] = e;
      }
    }

    @Override
    public void once() throws IOException {
      pair.client().getOutputStream().write(chunk);
    }

    /** The client closes first; the reader sees EOF, then the server side closes, both gracefully. */
    @Override
    public void close() throws IOException {
      pair.client().close();
      try {
        reader.join(SocketPair.TIMEOUT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      pair.server().close();
      if (readerFailure[0] != null) {
        throw readerFailure[0];
      }
    }
  }
}
