package io.teardownguard.samples.closedeferredbyselector;

/** The loop closes the channel and selects once more, which releases the socket. */
public final class EventLoopStopSafe {
  private EventLoopStopSafe() {}

  public static void main(String[] args) throws Exception {
    EventLoopStop.run(NotificationLoop::closeAndRelease);
  }
}
