package io.teardownguard.agent.bootstrap;

/**
 * What the hooks call: the agent's dispatcher behind an interface of java.base. Like {@link
 * TeardownHooks}, defined in java.base ({@code sun.nio.ch.TeardownGuardHandler}) and never loaded
 * as it is; the agent's implementation is compiled against this name and renamed to implement the
 * java.base copy at build time (agent/pom.xml, {@code JavaBaseClasses}). An interface, not an
 * abstract class: the verifier then accepts the agent's implementation where this type is expected
 * without loading it, so the classes that install it load before the java.base copy exists.
 */
public interface HookHandler {
  /** One hooked call: {@code name} and {@code value} only for an option set. */
  void on(int event, Object socket, Object name, Object value);
}
