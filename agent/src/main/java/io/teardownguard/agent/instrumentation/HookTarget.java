package io.teardownguard.agent.instrumentation;

/**
 * One JDK method that gets a hook call.
 *
 * @param owner internal class name, e.g. {@code sun/nio/ch/NioSocketImpl}
 * @param method method name
 * @param descriptor exact descriptor (so a bridge method is never hooked twice)
 * @param event the {@link HookEvent} it reports
 * @param placement where the call goes
 * @param exitEvent for {@link Placement#AROUND}, the event reported on every way out
 */
record HookTarget(String owner, String method, String descriptor, int event, Placement placement, int exitEvent) {

  /** Where the inserted call goes. */
  enum Placement {
    /** At entry (teardown calls of the socket classes). */
    ENTRY,
    /** Before each normal return (options, listen: only what took effect). */
    RETURN,
    /**
     * At entry, and the exit event on every way out, thrown exceptions included: a public entry
     * point whose own socket calls are part of one teardown (SSLSocket, {@link HookEvent#API_RETURN}),
     * or a close whose kernel reading is taken at entry and reported once the JDK's close(2) is done
     * ({@link HookEvent#CLOSE_RETURN}).
     */
    AROUND
  }

  static HookTarget atEntry(String owner, String method, String descriptor, int event) {
    return new HookTarget(owner, method, descriptor, event, Placement.ENTRY, 0);
  }

  static HookTarget afterReturn(String owner, String method, String descriptor, int event) {
    return new HookTarget(owner, method, descriptor, event, Placement.RETURN, 0);
  }

  static HookTarget around(String owner, String method, String descriptor, int event) {
    return new HookTarget(owner, method, descriptor, event, Placement.AROUND, HookEvent.API_RETURN);
  }

  /** A close: read at entry, predicted and reported at {@link HookEvent#CLOSE_RETURN}. */
  static HookTarget closeAround(String owner, String method, String descriptor, int event) {
    return new HookTarget(owner, method, descriptor, event, Placement.AROUND, HookEvent.CLOSE_RETURN);
  }

  /**
   * setOption passes its (name, value), Netty's shutdown its (read, write) and setSoLinger its
   * seconds; the others pass nothing but the socket.
   */
  boolean passesArguments() {
    return event == HookEvent.OPTION_SET || event == HookEvent.NETTY_SHUTDOWN || event == HookEvent.NETTY_LINGER_SET;
  }
}
