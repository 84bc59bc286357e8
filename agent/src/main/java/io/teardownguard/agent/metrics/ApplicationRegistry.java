package io.teardownguard.agent.metrics;

import java.lang.reflect.Method;
import java.util.function.ToDoubleFunction;

/**
 * The application's own {@code Metrics.globalRegistry}, driven through the application's
 * Micrometer classes by reflection. The agent's Micrometer is relocated (so that the two never
 * clash), which also means its types are not the application's: only
 * {@code FunctionCounter.builder(String, T, ToDoubleFunction<T>)}, whose parameters are JDK
 * types, can carry the agent's counters across. The global registry is a composite: registries
 * the application adds later (Spring Boot adds its own) receive these meters too.
 */
final class ApplicationRegistry implements MeterSink {
  static final String METRICS_CLASS = applicationClass("core.instrument.Metrics");

  private final Object globalRegistry;
  private final Method builder;
  private final Method tags;
  private final Method description;
  private final Method baseUnit;
  private final Method register;

  private ApplicationRegistry(ClassLoader loader) throws ReflectiveOperationException {
    // Initialising Metrics here is what the application's own first use would do.
    globalRegistry = Class.forName(METRICS_CLASS, true, loader).getField("globalRegistry").get(null);
    Class<?> functionCounter = Class.forName(applicationClass("core.instrument.FunctionCounter"), false, loader);
    builder = functionCounter.getMethod("builder", String.class, Object.class, ToDoubleFunction.class);
    Class<?> builderType = builder.getReturnType();
    tags = builderType.getMethod("tags", String[].class);
    description = builderType.getMethod("description", String.class);
    baseUnit = builderType.getMethod("baseUnit", String.class);
    register = builderType.getMethod("register",
        Class.forName(applicationClass("core.instrument.MeterRegistry"), false, loader));
  }

  /**
   * {@code io.micrometer.<rest>}, built at run time: the shade plugin rewrites every string
   * constant that starts with a relocated package, and these names must stay the application's.
   */
  private static String applicationClass(String rest) {
    return String.join(".", "io", "micrometer", rest);
  }

  /** The registry behind the {@code Metrics} class that {@code loader} defined. */
  static ApplicationRegistry of(ClassLoader loader) throws ReflectiveOperationException {
    return new ApplicationRegistry(loader);
  }

  @Override
  public <T> void counter(String name, String description, String baseUnit, String[] tags, T source,
      ToDoubleFunction<T> value) throws ReflectiveOperationException {
    Object counter = builder.invoke(null, name, source, value);
    counter = this.tags.invoke(counter, (Object) tags);
    counter = this.description.invoke(counter, description);
    if (baseUnit != null) {
      counter = this.baseUnit.invoke(counter, baseUnit);
    }
    register.invoke(counter, globalRegistry);
  }
}
