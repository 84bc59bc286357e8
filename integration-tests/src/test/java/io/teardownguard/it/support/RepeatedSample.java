package io.teardownguard.it.support;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one program of sample-apps (its {@code main}, in this JVM) again and again until FILE
 * exists, so that a Prometheus server can scrape what the agent counts about a real sample while
 * it runs: {@code RepeatedSample <main class> FILE}. At most 600 runs, 100 ms apart. Prints "done"
 * and exits 0.
 */
public final class RepeatedSample {
  private static final int MAX_RUNS = 600;

  private RepeatedSample() {}

  public static void main(String[] args) throws Throwable {
    MethodHandle sample = MethodHandles.publicLookup().findStatic(Class.forName(args[0]), "main",
        MethodType.methodType(void.class, String[].class));
    Path hold = Path.of(args[1]);
    for (int run = 0; run < MAX_RUNS && !Files.exists(hold); run++) {
      sample.invokeExact(new String[0]);
      Thread.sleep(100);
    }
    System.out.println("done");
  }
}
