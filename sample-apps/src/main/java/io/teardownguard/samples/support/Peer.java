package io.teardownguard.samples.support;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The other end of a sample's connection, run on its own thread. The thread is a daemon, so a
 * peer that got stuck cannot keep the JVM alive after {@link #await()} gave up on it.
 *
 * @param <T> what the peer reports when it is done, usually a line saying what it saw
 */
public final class Peer<T> {

  /**
   * Generous: a peer that finishes at all does so in milliseconds on an idle machine, but the TLS
   * sample's client (a cold JVM's first handshake) took more than 3 s in a CI run at load 11.
   */
  private static final long AWAIT_MILLIS = 20_000;

  private final FutureTask<T> task;

  private Peer(FutureTask<T> task) {
    this.task = task;
  }

  /** Starts {@code body} on a new daemon thread called {@code name}. */
  public static <T> Peer<T> start(String name, Callable<T> body) {
    FutureTask<T> task = new FutureTask<>(body);
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
    return new Peer<>(task);
  }

  /** Waits (bounded) for the peer and returns its report, or throws what the peer threw. */
  public T await() throws Exception {
    try {
      return task.get(AWAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      throw e;
    } catch (TimeoutException e) {
      throw new TimeoutException("peer did not finish within " + AWAIT_MILLIS + " ms");
    }
  }
}
