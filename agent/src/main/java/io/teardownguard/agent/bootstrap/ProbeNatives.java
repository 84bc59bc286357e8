package io.teardownguard.agent.bootstrap;

/**
 * The JNI entry of the native socket probe. Like {@link TeardownHooks}, the agent never loads
 * this class as it is: it copies it into java.base as {@code sun.nio.ch.TeardownGuardProbe}, so
 * that the library is loaded by java.base, which may load native code, and no "restricted
 * method" warning reaches the application's stderr (JDK 22+). JDK types only.
 */
public final class ProbeNatives {
  private ProbeNatives() {}

  /** Loads the probe library (src/main/c/teardownguard_probe.c) for this class. */
  public static void load(String path) {
    System.load(path);
  }

  /**
   * Fills out[0..6] (state, unread, not sent, accept queue, linger, unacknowledged, send window) and returns 0, or returns
   * -errno and leaves out[] alone. With inputAtEof the receive queue is not read (unread is 0).
   */
  public static native int probe0(int fd, boolean readLinger, boolean inputAtEof, long[] out);

  /**
   * A quiet socket's state and unread bytes packed as {@code state | unread << 8}; -errno; or
   * {@code 1 << 62} when the socket needs {@link #probe0} (a listener, bytes not yet sent).
   */
  public static native long quiet0(int fd, boolean inputAtEof);
}
