package io.teardownguard.samples.serversidetimewait;

import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Peer;
import io.teardownguard.samples.support.Teardown;
import java.io.IOException;
import java.net.ServerSocket;

/** {@value #CONNECTIONS} short connections to a {@link TimeServer}, one after the other. */
final class TimeChurn {

  static final int CONNECTIONS = 600;

  /** How a client asks for the time on a fresh connection; returns the reply. */
  @FunctionalInterface
  interface Ask {
    String ask(int port) throws IOException;
  }

  private TimeChurn() {}

  /** Runs the churn; the server ends each connection with {@code end}, clients ask with {@code ask}. */
  static String run(Teardown end, Ask ask) throws Exception {
    try (ServerSocket listener = Loopback.listen()) {
      Peer<Integer> server = Peer.start("time-server",
          () -> TimeServer.serve(listener, CONNECTIONS, end));
      for (int i = 0; i < CONNECTIONS; i++) {
        ask.ask(listener.getLocalPort());
      }
      return server.await() + " time requests answered, one connection each";
    }
  }
}
