package io.teardownguard.model.semantics;

import io.teardownguard.model.Finding;
import io.teardownguard.model.rules.Rule;

/**
 * {@code SERVER_SIDE_TIME_WAIT}: a finding about many teardowns, not one, so the model's tables
 * do not make it; whoever counts the server's active closes does, with this message.
 */
public final class ServerSideTimeWait {
  private ServerSideTimeWait() {}

  /** @param closes the server's active closes on accepted connections so far */
  public static Finding after(long closes) {
    return new Finding(Rule.SERVER_SIDE_TIME_WAIT, "this server closed first on " + closes
        + " accepted connections; each leaves a TIME_WAIT entry here for 60 s (tcp_time_wait)");
  }
}
