package io.teardownguard.agent.metrics.prometheus;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.teardownguard.agent.metrics.MeterSink;
import java.util.function.ToDoubleFunction;

/** The agent's own (shaded) Micrometer registry: the one behind the Prometheus endpoint. */
public final class AgentRegistry implements MeterSink {
  private final MeterRegistry registry;

  public AgentRegistry(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <T> void counter(String name, String description, String baseUnit, String[] tags, T source,
      ToDoubleFunction<T> value) {
    FunctionCounter.builder(name, source, value).tags(tags).description(description).baseUnit(baseUnit)
        .register(registry);
  }
}
