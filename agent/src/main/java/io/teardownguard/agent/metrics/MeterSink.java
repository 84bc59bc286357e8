package io.teardownguard.agent.metrics;

import java.util.function.ToDoubleFunction;

/**
 * A Micrometer registry as {@link TeardownMeters} registers into it: the agent's own (shaded)
 * Prometheus registry, or the application's {@code Metrics.globalRegistry} reached through the
 * application's classes. Only JDK types cross this interface, so the same meter table serves both.
 */
public interface MeterSink {
  /**
   * Registers a function counter ({@code FunctionCounter.builder(name, source, value)}).
   *
   * @param tags alternating keys and values
   */
  <T> void counter(String name, String description, String baseUnit, String[] tags, T source,
      ToDoubleFunction<T> value) throws Exception;
}
