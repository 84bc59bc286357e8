package io.teardownguard.samples.abortiveclose;

import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Peer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

/** An application uses a {@link ConnectionPool} for a few requests, then shuts down. */
final class PoolShutdown {

  private static final int POOL_SIZE = 3;

  /** How the application shuts its pool down. */
  @FunctionalInterface
  interface Shutdown {
    void shutdown(ConnectionPool pool) throws IOException;
  }

  private PoolShutdown() {}

  /** Runs the application, shutting the pool down with {@code shutdown}; returns a summary. */
  static String run(Shutdown shutdown) throws Exception {
    try (ServerSocket listener = Loopback.listen()) {
      Peer<List<String>> backend = Peer.start("backend",
          () -> KeyValueBackend.serve(listener, POOL_SIZE));
      ConnectionPool pool = ConnectionPool.open(listener.getLocalPort(), POOL_SIZE);
      for (int i = 0; i < POOL_SIZE; i++) {
        pool.get("key" + i);
      }
      shutdown.shutdown(pool);
      return POOL_SIZE + " requests served, pool shut down; backend saw: "
          + String.join(" | ", backend.await());
    }
  }
}
