package io.teardownguard.samples.closedeferredbyselector;

/** The loop closes the channel and stops: its socket stays open until the JVM exits. */
public final class EventLoopStopUnsafe {
  private EventLoopStopUnsafe() {}

  public static void main(String[] args) throws Exception {
    EventLoopStop.run((loop, subscriber) -> NotificationLoop.closeAndStop(subscriber));
  }
}
