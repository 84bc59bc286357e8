package io.teardownguard.agent.metrics;

import io.teardownguard.agent.config.PrometheusTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The Prometheus endpoint and its relocated Micrometer are a jar inside the agent's
 * ({@code io/teardownguard/agent/metrics/prometheus.jar}, built by agent/pom.xml): the JVM reads the
 * whole central directory of the agent jar at every start, and these 500-odd entries would cost
 * every application a few milliseconds for an option few set. With {@code metrics=prometheus}, the
 * jar is copied to an owner-only directory, opened by a class loader of its own (the agent's as
 * parent, for the counters), and deleted at once: the open jar outlives the file.
 */
public final class PrometheusJar {
  private static final String RESOURCE = "prometheus.jar";
  private static final String ENDPOINT = "io.teardownguard.agent.metrics.prometheus.PrometheusEndpoint";

  private PrometheusJar() {}

  /** Loads the endpoint from the nested jar and starts it (see PrometheusEndpoint.start). */
  public static void startEndpoint(PrometheusTarget target, TeardownCounters counters, LongSupplier errorCount,
      AtomicLong errors, Executor quiet, PrintStream err) throws Exception {
    Class<?> endpoint = load();
    try {
      endpoint.getMethod("start", PrometheusTarget.class, TeardownCounters.class, LongSupplier.class,
          AtomicLong.class, Executor.class, PrintStream.class).invoke(null, target, counters, errorCount, errors, quiet, err);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static Class<?> load() throws IOException, ClassNotFoundException {
    Path directory = Files.createTempDirectory("teardownguard-prometheus",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path file = directory.resolve(RESOURCE);
    try (InputStream jar = PrometheusJar.class.getResourceAsStream(RESOURCE)) {
      if (jar == null) {
        throw new IOException(RESOURCE + " is not in the agent jar (run from the packaged teardown-guard-agent.jar)");
      }
      Files.copy(jar, file);
      URLClassLoader loader = new URLClassLoader("teardown-guard-prometheus", new URL[] {file.toUri().toURL()},
          PrometheusJar.class.getClassLoader());
      return Class.forName(ENDPOINT, true, loader); // opens the jar: the file can go
    } finally {
      try {
        Files.deleteIfExists(file);
        Files.delete(directory);
      } catch (IOException e) {
        // Nothing to do: an owner-only leftover in java.io.tmpdir.
      }
    }
  }
}
