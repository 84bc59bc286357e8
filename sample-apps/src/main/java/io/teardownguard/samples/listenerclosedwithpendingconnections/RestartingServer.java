package io.teardownguard.samples.listenerclosedwithpendingconnections;

import io.teardownguard.samples.support.Lines;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A server that speaks first (a greeting, as in SMTP) and is restarting: it stops listening while
 * clients that connected during its busy spell still wait in the kernel's accept queue. The
 * handshake of those clients is complete, so to them the connection is already established.
 */
final class RestartingServer {

  /** The SMTP reply for "service not available, closing": clients know to retry later. */
  private static final String TURN_AWAY = "421 Restarting, try again later";

  /** How long an accept waits for another queued connection before the backlog counts as empty. */
  private static final int QUEUE_EMPTY_MILLIS = 100;

  /** Bounds the accept loop; far more than any backlog a sample creates. */
  private static final int MAX_TURNED_AWAY = 128;

  private RestartingServer() {}

  /**
   * Unsafe: closes the listener with connections still queued. Linux resets every one of them
   * ({@code inet_csk_listen_stop()}): those clients read "Connection reset" with no explanation.
   * Returns 0: no client was told anything.
   */
  static int stop(ServerSocket listener) throws IOException {
    listener.close();
    return 0;
  }

  /**
   * Safe: first accepts what is queued, tells each client to retry and closes it gracefully (they
   * have sent nothing, so the close is a plain FIN), then closes the now empty listener. Returns
   * how many clients were turned away.
   */
  static int stopAfterTurningAwayBacklog(ServerSocket listener) throws IOException {
    listener.setSoTimeout(QUEUE_EMPTY_MILLIS);
    int turnedAway = 0;
    while (turnedAway < MAX_TURNED_AWAY) {
      Socket queued;
      try {
        queued = listener.accept();
      } catch (SocketTimeoutException e) {
        break;
      }
      Lines.write(queued.getOutputStream(), TURN_AWAY);
      queued.close();
      turnedAway++;
    }
    listener.close();
    return turnedAway;
  }
}
