package io.teardownguard.agent.instrumentation;

import io.teardownguard.agent.jdk.JavaBaseClasses;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The hook class as defined inside java.base ({@code sun.nio.ch.TeardownGuardHooks}), and the
 * agent's handles to its static methods. Defining it needs {@code sun.nio.ch} opened to the agent.
 */
public final class BootHooks {
  static final String SOURCE = "io/teardownguard/agent/bootstrap/TeardownHooks";
  static final String TARGET = "sun/nio/ch/TeardownGuardHooks";
  /** The signature of the call the instrumentation inserts. */
  static final String ON_DESCRIPTOR = "(ILjava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)V";

  private final MethodHandle install;
  private final MethodHandle silencedCalls;
  private final MethodHandle errors;
  private final MethodHandle quietly;

  private BootHooks(Class<?> hooks) throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(hooks, MethodHandles.lookup());
    install = lookup.findStatic(hooks, "install", MethodType.methodType(void.class, MethodHandle.class));
    silencedCalls = lookup.findStatic(hooks, "silencedCalls", MethodType.methodType(long.class));
    errors = lookup.findStatic(hooks, "errors", MethodType.methodType(long.class));
    quietly = lookup.findStatic(hooks, "quietly", MethodType.methodType(void.class, Runnable.class));
  }

  /**
   * Defines the hook class in java.base, or finds it there from an earlier install in this JVM.
   *
   * @param anchor a class of package sun.nio.ch, opened to the agent
   */
  public static BootHooks define(Class<?> anchor) throws ReflectiveOperationException, IOException {
    return new BootHooks(JavaBaseClasses.define(anchor, SOURCE, TARGET));
  }

  /** Points the hooks at {@code handler}: {@code (int, Object, Object, Object)void}, or null to detach. */
  public void install(MethodHandle handler) throws Throwable {
    install.invokeExact(handler);
  }

  /** Calls the inserted code made while silenced on their thread (the self-test's sockets). */
  public long silencedCalls() throws Throwable {
    return (long) silencedCalls.invokeExact();
  }

  public long errors() throws Throwable {
    return (long) errors.invokeExact();
  }

  /** Runs {@code work} with the hooks silenced on this thread. */
  public void quietly(Runnable work) throws Throwable {
    quietly.invokeExact(work);
  }
}
