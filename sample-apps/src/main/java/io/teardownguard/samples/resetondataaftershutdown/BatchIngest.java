package io.teardownguard.samples.resetondataaftershutdown;

import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Peer;
import io.teardownguard.samples.support.Teardown;
import java.net.ServerSocket;

/** One {@link BatchClient} sends a batch to an {@link IngestServer}. */
final class BatchIngest {

  private BatchIngest() {}

  /** Runs the batch, the server ending its connection with {@code end}; returns a summary. */
  static String run(Teardown end) throws Exception {
    try (ServerSocket listener = Loopback.listen()) {
      Peer<String> client = Peer.start("batch-client",
          () -> BatchClient.sendBatch(listener.getLocalPort()));
      String batch = IngestServer.serveOne(listener, end);
      return "server acknowledged \"" + batch + "\"; client: " + client.await();
    }
  }
}
