package io.teardownguard.it.netty;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code EpollCloseScenario} with Netty on a class loader of its own (parent: the platform
 * loader), as an application server or a plugin host would: Netty's classes are then in that
 * loader's unnamed module, which the agent's inserted calls must reach java.base's hook class
 * from. Usage: {@code NettyNativeChild GO_FILE|- CLASSPATH_ENTRY...}; with a file, it starts the
 * server, prints "waiting" and waits (bounded) for the file before the close (a dynamic attach in
 * between), then prints "done".
 */
public final class NettyNativeChild {
  private static final long WAIT_MILLIS = 60_000;
  /**
   * The whole run's bound: an agent that broke Netty's close (an inserted call that cannot reach
   * its class throws IllegalAccessError inside the event loop) leaves its close futures pending
   * forever; the test then sees this JVM end instead of waiting on it.
   */
  private static final long HALT_MILLIS = 90_000;
  /** By name: a class literal would load it here, on the system loader, which has no Netty. */
  private static final String SCENARIO = "io.teardownguard.it.netty.EpollCloseScenario";

  private NettyNativeChild() {}

  public static void main(String[] args) throws Exception {
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(HALT_MILLIS);
        System.err.println("NettyNativeChild: not done after " + HALT_MILLIS + " ms, halting");
        Runtime.getRuntime().halt(3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "halt-after-" + HALT_MILLIS + "ms");
    watchdog.setDaemon(true);
    watchdog.start();
    List<URL> urls = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      urls.add(Path.of(args[i]).toUri().toURL());
    }
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> scenario = Class.forName(SCENARIO, true, loader);
      if (scenario.getClassLoader() != loader) {
        throw new IllegalStateException("the scenario must be loaded by its own loader, not " + scenario.getClassLoader());
      }
      Object started = scenario.getMethod("start").invoke(null);
      if (!args[0].equals("-")) {
        System.out.println("waiting");
        Path go = Path.of(args[0]);
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!Files.exists(go) && System.currentTimeMillis() < deadline) {
          Thread.sleep(20);
        }
      }
      System.out.println(scenario.getMethod("run", Object.class).invoke(null, started));
      System.out.println("done");
    }
  }
}
