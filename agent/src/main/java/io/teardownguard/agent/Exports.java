package io.teardownguard.agent;

import io.teardownguard.agent.config.AgentOptions;
import io.teardownguard.agent.config.PrometheusTarget;
import io.teardownguard.agent.instrumentation.LazyHooks;
import io.teardownguard.agent.jdk.VmArguments;
import io.teardownguard.agent.jfr.JfrFlightEvents;
import io.teardownguard.agent.metrics.ApplicationMicrometer;
import io.teardownguard.agent.metrics.TeardownCounters;
import io.teardownguard.agent.metrics.PrometheusJar;
import io.teardownguard.agent.report.Reporter;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The agent's counts outside its own report: the application's Micrometer, the Prometheus
 * endpoint, Java Flight Recorder. At start-up only the transformer that notices the application's
 * Micrometer is added (a class of its own, no Micrometer loaded); the rest is started by the
 * warm-up thread, and each part only when asked for or when there is something to feed.
 */
final class Exports {
  /** How long after its warm-up an agent started with the JVM waits before its idle-time exports. */
  private static final long IDLE_MILLIS = 1000;
  private static final String START_FLIGHT_RECORDING = "-XX:StartFlightRecording";

  private final Instrumentation instrumentation;
  private final AgentOptions options;
  private final Reporter reporter;
  private final LazyHooks hooks;
  private final PrintStream err;
  /** Held here: the meters hold what they read weakly (Micrometer's FunctionCounter). */
  private final AgentErrorCount errorCount;
  private final ApplicationMicrometer applicationMicrometer;
  /** Written by startEarly, read by startLate: both on the warm-up thread. */
  private boolean flightEventsHandedOver;

  private Exports(Instrumentation instrumentation, AgentOptions options, Reporter reporter, LazyHooks hooks,
      PrintStream err) {
    this.instrumentation = instrumentation;
    this.options = options;
    this.reporter = reporter;
    this.hooks = hooks;
    this.err = err;
    this.errorCount = new AgentErrorCount(reporter, hooks);
    this.applicationMicrometer = new ApplicationMicrometer(new Counters(reporter), errorCount, reporter.agentErrors(), err);
  }

  /** Start-up: only the transformer that waits for the application's Micrometer. */
  static Exports install(Instrumentation instrumentation, AgentOptions options, Reporter reporter, LazyHooks hooks,
      PrintStream err) {
    Exports exports = new Exports(instrumentation, options, reporter, hooks, err);
    instrumentation.addTransformer(exports.applicationMicrometer);
    return exports;
  }

  /**
   * On the warm-up thread, as soon as the hooks work: the JFR events if a recording already runs,
   * so that the application's first findings reach it.
   */
  void startEarly() {
    try {
      flightEventsHandedOver = JfrFlightEvents.ifRecording(reporter);
    } catch (Throwable t) {
      failed("Java Flight Recorder events", t);
    }
  }

  /**
   * At the end of the warm-up, where it competes least with the application's own start: the
   * Prometheus endpoint (its Micrometer is the biggest load of all, and nothing waits for it: the
   * counters run from the start); then the JFR events for a recording started later, and the
   * application's Micrometer if it was loaded before the agent. Each part fails alone.
   *
   * <p>The last two wait {@link #IDLE_MILLIS} when the agent started with the JVM: registering the
   * JFR listener loads a dozen of JFR's classes and spins a lambda, and the scan reads every loaded
   * class, some 5 ms of CPU in a JVM that exits at once (issue 14). A recording started in that
   * second gets the events from then on ({@link JfrFlightEvents#whenRecordingStarts}). Not when the
   * JVM was started with a recording ({@code -XX:StartFlightRecording}): that one may start after
   * {@link #startEarly} asked, and its events would be lost until then; nor after a dynamic attach,
   * where the application's Micrometer is likely loaded already.
   *
   * @param late the agent was attached to a running application
   */
  void startLate(boolean late) throws InterruptedException {
    PrometheusTarget prometheus = options.prometheus();
    if (prometheus != null) {
      try {
        PrometheusJar.startEndpoint(prometheus, reporter.counters(), errorCount, reporter.agentErrors(),
            new Quiet(hooks), err);
      } catch (Throwable t) {
        failed("the Prometheus endpoint", t);
      }
    }
    if (!late && !flightEventsHandedOver && !VmArguments.anyStartsWith(START_FLIGHT_RECORDING)) {
      Thread.sleep(IDLE_MILLIS);
    }
    if (!flightEventsHandedOver) {
      try {
        JfrFlightEvents.whenRecordingStarts(reporter);
      } catch (Throwable t) {
        failed("Java Flight Recorder events", t);
      }
    }
    try {
      // Null when the JVM is already exiting (JVMTI's GetLoadedClasses fails in the VM's death
      // phase): the warm-up thread is a daemon and may get here that late in a short-lived JVM.
      Class<?>[] loaded = instrumentation.getAllLoadedClasses();
      if (loaded != null) {
        applicationMicrometer.bindLoaded(loaded);
      }
    } catch (Throwable t) {
      failed("the application's Micrometer", t);
    }
  }

  private void failed(String what, Throwable t) {
    reporter.agentErrors().incrementAndGet();
    err.println("teardown-guard: " + what + " not started (" + t + "); the agent runs on without");
  }

  /** The exit summary's "internal errors": the agent's, and those its hooks caught. */
  private static final class AgentErrorCount implements LongSupplier {
    private final Reporter reporter;
    private final LazyHooks hooks;

    AgentErrorCount(Reporter reporter, LazyHooks hooks) {
      this.reporter = reporter;
      this.hooks = hooks;
    }

    @Override
    public long getAsLong() {
      return reporter.agentErrors().get() + hooks.errors();
    }
  }

  /** The reporter's counters; a class, not {@code reporter::counters}, which costs a LambdaMetafactory spin at install. */
  private static final class Counters implements Supplier<TeardownCounters> {
    private final Reporter reporter;

    Counters(Reporter reporter) {
      this.reporter = reporter;
    }

    @Override
    public TeardownCounters get() {
      return reporter.counters();
    }
  }

  /** Runs a task with the hooks silenced on its thread: the agent's own sockets are not the application's. */
  private static final class Quiet implements Executor {
    private final LazyHooks hooks;

    Quiet(LazyHooks hooks) {
      this.hooks = hooks;
    }

    @Override
    public void execute(Runnable task) {
      try {
        hooks.get().quietly(task);
      } catch (ClassNotFoundException | IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
