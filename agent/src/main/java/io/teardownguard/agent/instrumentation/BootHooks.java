package io.teardownguard.agent.instrumentation;

import io.teardownguard.agent.bootstrap.HookHandler;
import io.teardownguard.agent.bootstrap.TeardownHooks;
import io.teardownguard.agent.jdk.JavaBaseClasses;
import java.io.IOException;

/**
 * The hook class as defined inside java.base ({@code sun.nio.ch.TeardownGuardHooks}, with its
 * handler interface {@code sun.nio.ch.TeardownGuardHandler}), and the agent's calls to it.
 * Calling them needs {@code sun.nio.ch} exported to the agent.
 *
 * <p>This class (and its {@code Handler}) is compiled against {@link TeardownHooks} and {@link
 * HookHandler}; the build renames those references to the java.base copies (agent/pom.xml, {@link JavaBaseClasses}), so
 * the calls below are plain static calls into java.base, resolved when they first run, after
 * {@link #define}. Method handles to the same methods spun LambdaForm classes in every JVM's
 * start-up (issue 14).
 */
public final class BootHooks {
  static final String SOURCE = "io/teardownguard/agent/bootstrap/TeardownHooks";
  static final String TARGET = "sun/nio/ch/TeardownGuardHooks";
  static final String HANDLER_SOURCE = "io/teardownguard/agent/bootstrap/HookHandler";
  static final String HANDLER_TARGET = "sun/nio/ch/TeardownGuardHandler";
  /** The signature of the call the instrumentation inserts. */
  static final String ON_DESCRIPTOR = "(ILjava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)V";

  private BootHooks() {}

  /**
   * Defines the handler interface and the hook class in java.base, or finds them there from an
   * earlier install in this JVM.
   */
  public static BootHooks define() throws ClassNotFoundException, IOException {
    JavaBaseClasses.define(HANDLER_SOURCE, HANDLER_TARGET);
    JavaBaseClasses.define(SOURCE, TARGET);
    return new BootHooks();
  }

  /** Points the hooks at {@code listener}, or at nothing (null) to detach. */
  public void install(HookListener listener) {
    if (listener == null) {
      TeardownHooks.install(null);
    } else {
      Handler.install(listener);
    }
  }

  /** Calls the inserted code made while silenced on their thread (the self-test's sockets). */
  public long silencedCalls() {
    return TeardownHooks.silencedCalls();
  }

  public long errors() {
    return TeardownHooks.errors();
  }

  /** Runs {@code work} with the hooks silenced on this thread. */
  public void quietly(Runnable work) {
    TeardownHooks.quietly(work);
  }

  /**
   * The java.base interface's implementation, renamed with this class at build time; loaded at
   * the first {@link #install}, after {@link #define}. It installs itself: verifying the code that
   * passes it where the interface is expected loads the interface, which must be defined by then,
   * so that code cannot be in BootHooks, verified before {@link #define} runs.
   */
  private static final class Handler implements HookHandler {
    private final HookListener listener;

    private Handler(HookListener listener) {
      this.listener = listener;
    }

    static void install(HookListener listener) {
      TeardownHooks.install(new Handler(listener));
    }

    @Override
    public void on(int event, Object socket, Object name, Object value) {
      listener.on(event, socket, name, value);
    }
  }
}
