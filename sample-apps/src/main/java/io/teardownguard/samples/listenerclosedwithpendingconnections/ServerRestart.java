package io.teardownguard.samples.listenerclosedwithpendingconnections;

import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Peer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Three clients connect to a {@link RestartingServer} that is busy and accepts none of them;
 * then it restarts.
 */
final class ServerRestart {

  private static final int CLIENTS = 3;

  /** A way to stop listening; returns how many queued clients it turned away. */
  @FunctionalInterface
  interface Stop {
    int stop(ServerSocket listener) throws IOException;
  }

  private ServerRestart() {}

  /**
   * Runs the restart, stopping the listener with {@code stop}; returns a summary. The listener is
   * closed by {@code stop}, the step under test, and by nothing else.
   */
  static String run(Stop stop) throws Exception {
    ServerSocket listener = Loopback.listen();
    List<Peer<String>> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      // connect() returns once the handshake is done: the kernel, not the application, completed
      // it, and the connection now sits in the listener's accept queue.
      Socket socket = Loopback.connect(listener.getLocalPort());
      clients.add(Peer.start("client-" + i, () -> WaitingClient.awaitGreeting(socket)));
    }
    int turnedAway = stop.stop(listener);
    List<String> seen = new ArrayList<>();
    for (Peer<String> client : clients) {
      seen.add(client.await());
    }
    return "server stopped listening with " + CLIENTS + " clients queued (" + turnedAway
        + " turned away); clients saw: " + String.join(" | ", seen);
  }
}
