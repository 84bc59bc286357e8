package io.teardownguard.agent.instrumentation;

/**
 * One JDK method that gets a hook call.
 *
 * @param owner internal class name, e.g. {@code sun/nio/ch/NioSocketImpl}
 * @param method method name
 * @param descriptor exact descriptor (so a bridge method is never hooked twice)
 * @param event the {@link HookEvent} it reports
 * @param afterReturn call before each normal return (options, listen) instead of at entry (teardown)
 */
record HookTarget(String owner, String method, String descriptor, int event, boolean afterReturn) {

  static HookTarget atEntry(String owner, String method, String descriptor, int event) {
    return new HookTarget(owner, method, descriptor, event, false);
  }

  static HookTarget afterReturn(String owner, String method, String descriptor, int event) {
    return new HookTarget(owner, method, descriptor, event, true);
  }

  /** setOption passes its (name, value); the others pass nothing but the socket. */
  boolean passesArguments() {
    return event == HookEvent.OPTION_SET;
  }
}
