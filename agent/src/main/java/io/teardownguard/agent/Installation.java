package io.teardownguard.agent;

import io.teardownguard.agent.config.AgentOptions;
import io.teardownguard.agent.config.Option;
import io.teardownguard.agent.core.TeardownDispatcher;
import io.teardownguard.agent.core.Warmup;
import io.teardownguard.agent.instrumentation.BootHooks;
import io.teardownguard.agent.instrumentation.JdkSocketInstrumentation;
import io.teardownguard.agent.jdk.JdkSockets;
import io.teardownguard.agent.probe.NativeSocketProbe;
import io.teardownguard.agent.probe.SocketProbe;
import io.teardownguard.agent.report.ExitSummary;
import io.teardownguard.agent.report.Reporter;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** A running agent: the reporter, the dispatcher behind the hooks, the instrumentation, the exit summary. */
final class Installation {
  private final Reporter reporter;
  private final TeardownDispatcher dispatcher;
  private final BootHooks hooks;

  private Installation(Reporter reporter, TeardownDispatcher dispatcher, BootHooks hooks) {
    this.reporter = reporter;
    this.dispatcher = dispatcher;
    this.hooks = hooks;
  }

  Reporter reporter() {
    return reporter;
  }

  /** Installs everything; returns null (after one line on {@code err}) if the self-test fails. */
  static Installation start(Instrumentation instrumentation, AgentOptions options, PrintStream err) throws Throwable {
    Reporter reporter = new Reporter(options);
    JdkSockets jdk = JdkSockets.open(instrumentation); // opens sun.nio.ch, where the hooks and probe go
    SocketProbe probe = ProbeChoice.select(options.get(Option.PROBE), err);
    BootHooks hooks = BootHooks.define(jdk.packageAnchor());
    TeardownDispatcher dispatcher = new TeardownDispatcher(jdk, probe, probe instanceof NativeSocketProbe, reporter,
        (int) options.number(Option.STACK_DEPTH), options.allEvents());
    MethodHandle handler = MethodHandles.lookup()
        .findVirtual(TeardownDispatcher.class, "on",
            MethodType.methodType(void.class, int.class, Object.class, Object.class, Object.class))
        .bindTo(dispatcher);
    hooks.install(handler);
    Set<String> untouched = JdkSocketInstrumentation.install(instrumentation, reporter.agentErrors());
    if (!untouched.isEmpty() || !selfTest(hooks)) {
      hooks.install(null);
      err.println("teardown-guard: self-test failed on " + Runtime.version() + " (not instrumented: "
          + (untouched.isEmpty() ? "none, but the hooks were not reached" : untouched) + "); agent off");
      return null;
    }
    reporter.start();
    Warmup.start();
    Installation installation = new Installation(reporter, dispatcher, hooks);
    Runtime.getRuntime().addShutdownHook(new ExitHook(installation, options, err));
    return installation;
  }

  /** Prints the summary at JVM exit; a class, not a lambda, to keep start-up short. */
  private static final class ExitHook extends Thread {
    private final Installation installation;
    private final AgentOptions options;
    private final PrintStream err;

    ExitHook(Installation installation, AgentOptions options, PrintStream err) {
      super("teardown-guard-summary");
      this.installation = installation;
      this.options = options;
      this.err = err;
    }

    @Override
    public void run() {
      installation.exit(options, err);
    }
  }

  /** A socket and a channel closed with the hooks silenced: the inserted calls must still have run. */
  private static boolean selfTest(BootHooks hooks) throws Throwable {
    long before = hooks.calls();
    SelfTestSockets sockets = new SelfTestSockets();
    hooks.quietly(sockets);
    if (sockets.failure != null) {
      throw sockets.failure;
    }
    return hooks.calls() - before >= 2;
  }

  /** Opens and closes a socket and a channel. */
  private static final class SelfTestSockets implements Runnable {
    private IOException failure;

    @Override
    public void run() {
      try (Socket socket = new Socket(); SocketChannel channel = SocketChannel.open()) {
        socket.setSoTimeout(0); // creates the descriptor, so that close() reaches NioSocketImpl
      } catch (IOException e) {
        failure = e;
      }
    }
  }

  private void exit(AgentOptions options, PrintStream err) {
    dispatcher.drainDeferred();
    reporter.close();
    String target = options.get(Option.SUMMARY);
    if (target.equals("off")) {
      return;
    }
    long hookErrors;
    try {
      hookErrors = hooks.errors();
    } catch (Throwable t) {
      hookErrors = 1;
    }
    String summary = ExitSummary.render(reporter.totals(), hookErrors);
    if (target.equals("stderr")) {
      err.print(summary);
      return;
    }
    try {
      Files.writeString(Path.of(target), summary, StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.print(summary);
    }
  }
}
