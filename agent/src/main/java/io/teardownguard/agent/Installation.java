package io.teardownguard.agent;

import io.teardownguard.agent.cache.AgentCache;
import io.teardownguard.agent.config.AgentOptions;
import io.teardownguard.agent.config.Option;
import io.teardownguard.agent.core.TeardownDispatcher;
import io.teardownguard.agent.core.Warmup;
import io.teardownguard.agent.instrumentation.BootHooks;
import io.teardownguard.agent.instrumentation.JdkSocketInstrumentation;
import io.teardownguard.agent.instrumentation.LazyHooks;
import io.teardownguard.agent.jdk.JdkSockets;
import io.teardownguard.agent.probe.SocketProbe;
import io.teardownguard.agent.report.ExitSummary;
import io.teardownguard.agent.report.Reporter;
import io.teardownguard.agent.report.SummaryOutput;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.net.Socket;
import java.util.function.Supplier;

/**
 * A running agent: the reporter, the dispatcher behind the hooks, the instrumentation, the exit
 * summary. Start-up does only what must precede the application's first socket (options, the
 * transformer, opening sun.nio.ch); the rest (defining the hook class, the probe library, the
 * self-test, warming the model) runs on a daemon thread, or at the first hook if that comes first.
 */
final class Installation {
  private final AgentOptions options;
  private final PrintStream err;
  private final Reporter reporter;
  private final TeardownDispatcher dispatcher;
  private final LazyHooks hooks;
  private final Exports exports;
  /** Set once the hooks have passed their self-test: only then are the exports started. */
  private volatile boolean running;

  private Installation(AgentOptions options, PrintStream err, Reporter reporter, TeardownDispatcher dispatcher,
      LazyHooks hooks, Exports exports) {
    this.options = options;
    this.err = err;
    this.reporter = reporter;
    this.dispatcher = dispatcher;
    this.hooks = hooks;
    this.exports = exports;
  }

  Reporter reporter() {
    return reporter;
  }

  /** @param late the application already runs: learn its listeners on the warm-up thread */
  static Installation start(Instrumentation instrumentation, AgentOptions options, PrintStream err, boolean late)
      throws Throwable {
    Reporter reporter = new Reporter(options);
    JdkSockets.openPackages(instrumentation);
    AgentCache cache = AgentCache.chosen(options.get(Option.CACHE), Installation.class);
    TeardownDispatcher dispatcher = new TeardownDispatcher(new ChosenProbe(options, cache, err), reporter,
        (int) options.number(Option.STACK_DEPTH), options.allEvents());
    LazyHooks hooks = new LazyHooks(dispatcher);
    JdkSocketInstrumentation.install(instrumentation, hooks, reporter.agentErrors(), cache);
    Exports exports = Exports.install(instrumentation, options, reporter, hooks, err);
    reporter.start();
    Installation installation = new Installation(options, err, reporter, dispatcher, hooks, exports);
    LastShutdownSlot.register(new ExitHook(installation));
    Warmup.start(new BackgroundStart(installation, late), new StartExports(installation, late));
    return installation;
  }

  /** The probe, picked when the dispatcher first needs it. */
  private static final class ChosenProbe implements Supplier<SocketProbe> {
    private final AgentOptions options;
    private final AgentCache cache;
    private final PrintStream err;

    ChosenProbe(AgentOptions options, AgentCache cache, PrintStream err) {
      this.options = options;
      this.cache = cache;
      this.err = err;
    }

    @Override
    public SocketProbe get() {
      return ProbeChoice.select(options.get(Option.PROBE), cache, err);
    }
  }

  /** Off the start-up path: pick the probe, define the hooks, prove them, hand JFR its events. */
  private static final class BackgroundStart implements Runnable {
    private final Installation installation;
    private final boolean late;

    BackgroundStart(Installation installation, boolean late) {
      this.installation = installation;
      this.late = late;
    }

    @Override
    public void run() {
      try {
        // First, so that the application's first sockets find the JDK's handles and the probe ready.
        installation.dispatcher.initialize();
        BootHooks defined = installation.hooks.get();
        if (!selfTest(defined)) {
          defined.install(null);
          installation.err.println("teardown-guard: self-test failed on " + Runtime.version()
              + ": the socket close hooks were not reached; agent off");
          return;
        }
        if (late) {
          // Started with the JVM, the agent sees every listen() itself.
          installation.dispatcher.learnListeningSockets();
        }
        installation.exports.startEarly();
        installation.running = true;
      } catch (Throwable t) {
        installation.reporter.agentErrors().incrementAndGet();
        installation.err.println("teardown-guard: start-up failed (" + t + "); agent off");
      }
    }
  }

  /** After the warm-up: the rest of the exports, if the agent is on. */
  private static final class StartExports implements Runnable {
    private final Installation installation;
    private final boolean late;

    StartExports(Installation installation, boolean late) {
      this.installation = installation;
      this.late = late;
    }

    @Override
    public void run() {
      if (installation.running) {
        try {
          installation.exports.startLate(late);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * Prints the summary at JVM exit, after the application's shutdown hooks (or, as a fallback, as
   * one of them); a class, not a lambda, to keep start-up short.
   */
  private static final class ExitHook extends Thread {
    private final Installation installation;

    ExitHook(Installation installation) {
      super("teardown-guard-summary");
      this.installation = installation;
    }

    @Override
    public void run() {
      installation.exit();
    }
  }

  /**
   * A socket closed with the hooks silenced: the inserted calls (two per close: at entry and on
   * return) must have run. That proves the path every hooked class shares (the hook class in
   * java.base, the handler installed, the silencing); each class's own hooks are checked when it is
   * woven ({@code HookWeaver}: all of its target methods found, else it stays unhooked and the
   * failure is counted). Not a channel: opening one initialises the selector provider (a service
   * lookup through the class path and the runtime image), 10 ms of CPU on JDK 25, where the channel
   * classes are loaded at start-up anyway, and 20 to 30 ms with them on JDK 17 (issue 14).
   */
  private static boolean selfTest(BootHooks hooks) throws IOException {
    long before = hooks.silencedCalls();
    SelfTestSocket socket = new SelfTestSocket();
    hooks.quietly(socket);
    if (socket.failure != null) {
      throw socket.failure;
    }
    return hooks.silencedCalls() - before >= 2;
  }

  /** Opens and closes a socket. */
  private static final class SelfTestSocket implements Runnable {
    private IOException failure;

    @Override
    public void run() {
      try (Socket socket = new Socket()) {
        socket.setSoTimeout(0); // creates the descriptor, so that close() reaches NioSocketImpl
      } catch (IOException e) {
        failure = e;
      }
    }
  }

  private void exit() {
    dispatcher.drainDeferred();
    reporter.close();
    if (!SummaryOutput.wanted(options)) {
      return;
    }
    SummaryOutput.deliver(ExitSummary.render(reporter.totals(), hooks.errors()), options, err);
  }
}
