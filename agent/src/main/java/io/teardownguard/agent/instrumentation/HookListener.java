package io.teardownguard.agent.instrumentation;

/** What receives the hooks' calls inside the agent: the dispatcher. */
public interface HookListener {
  /**
   * One hooked call, as the inserted code made it ({@link HookEvent}'s number); {@code name} and
   * {@code value} only for an option set.
   */
  void on(int event, Object socket, Object name, Object value);
}
