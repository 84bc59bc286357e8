package io.teardownguard.agent.core;

import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.semantics.TeardownModel;

/**
 * Runs {@code first} (the agent's deferred start-up), then {@code last}, then the model once, on
 * a daemon thread at install, so that the work the first close needs is paid neither by JVM
 * start-up nor inside the application's first close(): the agent must not change an
 * application's timing. A close that finds nothing does not need the model ({@link
 * QuietVerdicts}); the first one that reports does, and the model is asked two questions here, a
 * quiet close and one with a finding, which load every class a prediction needs, so that it finds
 * them loaded. That comes last: {@code last} (the exports) waits a second before its own work, so
 * a JVM that ends sooner, or reports before, pays for the model only if it reports, as it pays for
 * the StackWalker's set-up at its first report and not before: asked first thing, the model was 8
 * to 13 ms of every short-lived JVM's CPU; left to the first report, that one close takes 19 to 49
 * ms instead of 10 to 13 (JDK 17 and 25 on one CPU), once (issue 14, docs/performance.md). No more
 * than two questions: asking more only compiles the model early.
 */
public final class Warmup implements Runnable {
  private final int jdkFeature = Runtime.version().feature();
  private final Runnable first;
  private final Runnable last;

  private Warmup(Runnable first, Runnable last) {
    this.first = first;
    this.last = last;
  }

  /** Starts {@code first}, then {@code last}, then the model's warm-up, in the background. */
  public static void start(Runnable first, Runnable last) {
    Thread thread = new Thread(new Warmup(first, last), "teardown-guard-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    first.run();
    last.run();
    SocketSnapshot open = SocketSnapshot.connected(JavaApi.SOCKET, ChannelMode.BLOCKING, jdkFeature, TcpState.ESTABLISHED);
    TeardownModel.predict(open, TeardownCall.of(TeardownCall.Op.CLOSE));
    TeardownModel.predict(open.withUnreadBytes(1), TeardownCall.of(TeardownCall.Op.CLOSE));
  }
}
