package io.teardownguard.conformance.endpoint;

import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * An operation of an asynchronous channel that a scenario leaves pending across its steps: the
 * completion handler records how it ended as text, the result's own description or the simple
 * name of the exception it failed with (e.g. {@code AsynchronousCloseException}).
 *
 * @param <V> the operation's result
 */
final class Pending<V> implements CompletionHandler<V, Void> {
  private final CompletableFuture<String> outcome = new CompletableFuture<>();
  private final Function<V, String> describe;

  Pending(Function<V, String> describe) {
    this.describe = describe;
  }

  @Override
  public void completed(V result, Void attachment) {
    outcome.complete(describe.apply(result));
  }

  @Override
  public void failed(Throwable error, Void attachment) {
    outcome.complete(error.getClass().getSimpleName());
  }

  /** How it ended, waiting up to {@code millis}; null while it is still pending. */
  String within(long millis) {
    try {
      return outcome.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException stillPending) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (ExecutionException neverCompletedExceptionally) {
      return neverCompletedExceptionally.getCause().getClass().getSimpleName();
    }
  }

  /** As {@link #within}, with "pending" for an operation that has not ended. */
  String describeWithin(long millis) {
    String ended = within(millis);
    return ended == null ? "pending" : ended;
  }
}
