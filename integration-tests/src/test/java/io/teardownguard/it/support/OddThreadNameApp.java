package io.teardownguard.it.support;

/**
 * A child JVM that first closes badly on a thread whose name holds an unpaired UTF-16 surrogate
 * (what a name cut mid-pair looks like), then again on {@code main}: {@link UnsafeCloseApp} with
 * {@code --count 3}, each time.
 */
public final class OddThreadNameApp {
  /** A high surrogate with no low one after it. */
  public static final String ODD_NAME = "worker-\uD83D";

  private OddThreadNameApp() {}

  public static void main(String[] args) throws Exception {
    Thread odd = new Thread(() -> {
      try {
        UnsafeCloseApp.main(new String[] {"--count", "3"});
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, ODD_NAME);
    odd.start();
    odd.join();
    UnsafeCloseApp.main(new String[] {"--count", "3"});
  }
}
