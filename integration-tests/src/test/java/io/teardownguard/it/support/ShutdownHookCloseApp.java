package io.teardownguard.it.support;

/**
 * A child JVM whose unsafe closes all happen in its own shutdown hook, as a server stopped at
 * exit makes them: {@code ShutdownHookCloseApp COUNT} registers a hook that runs {@link
 * UnsafeCloseApp} with {@code --count COUNT} (each close resets a connection with 64 unread bytes),
 * then returns from {@code main}.
 */
public final class ShutdownHookCloseApp {
  private ShutdownHookCloseApp() {}

  public static void main(String[] args) {
    String count = args[0];
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        UnsafeCloseApp.main(new String[] {"--count", count});
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "app-shutdown"));
  }
}
