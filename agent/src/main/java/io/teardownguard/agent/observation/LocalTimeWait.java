package io.teardownguard.agent.observation;

import io.teardownguard.model.Outcome;
import io.teardownguard.model.TimeWaitHolder;

/**
 * The one definition of "this teardown leaves TIME_WAIT here", shared by the exit summary, the
 * {@code teardown.time_wait} meter and {@code SERVER_SIDE_TIME_WAIT}: this side closed first, or
 * both sides closed at once (each then holds TIME_WAIT, RFC 9293 section 3.6).
 */
public final class LocalTimeWait {
  private LocalTimeWait() {}

  public static boolean after(Outcome outcome) {
    return outcome.timeWait() == TimeWaitHolder.LOCAL || outcome.timeWait() == TimeWaitHolder.BOTH;
  }
}
