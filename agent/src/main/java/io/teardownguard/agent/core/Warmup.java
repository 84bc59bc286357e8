package io.teardownguard.agent.core;

import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.semantics.TeardownModel;

/**
 * Runs {@code first} (the agent's deferred start-up), then the model once, then {@code last}, on a
 * daemon thread at install, so that the class loading the model needs the first time is paid
 * neither by JVM start-up nor inside the application's first close(): the agent must not change
 * an application's timing. The model is asked two questions, a quiet close and one with a
 * finding, which load every class a prediction needs; no more, since asking more only compiles the
 * model early, and that JIT work was a third of the CPU the agent added to a short-lived JVM
 * (issue 14; the model's tables have no lambdas left to link). The stack is not walked here: only
 * a reported teardown walks it, and a JVM that reports none would pay the StackWalker's set-up
 * (3 to 9 ms of CPU, and the JIT work it causes) for nothing; one that reports pays it once, at
 * its first report. {@code last} is what the application's sockets do not wait for (the
 * exports), so it comes after the work that competes with the application's own start for the CPU.
 */
public final class Warmup implements Runnable {
  private final int jdkFeature = Runtime.version().feature();
  private final Runnable first;
  private final Runnable last;

  private Warmup(Runnable first, Runnable last) {
    this.first = first;
    this.last = last;
  }

  /** Starts {@code first}, then the warm-up, then {@code last}, in the background. */
  public static void start(Runnable first, Runnable last) {
    Thread thread = new Thread(new Warmup(first, last), "teardown-guard-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    first.run();
    SocketSnapshot open = SocketSnapshot.connected(JavaApi.SOCKET, ChannelMode.BLOCKING, jdkFeature, TcpState.ESTABLISHED);
    TeardownModel.predict(open, TeardownCall.of(TeardownCall.Op.CLOSE));
    TeardownModel.predict(open.withUnreadBytes(1), TeardownCall.of(TeardownCall.Op.CLOSE));
    last.run();
  }
}
