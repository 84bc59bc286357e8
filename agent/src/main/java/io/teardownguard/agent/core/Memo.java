package io.teardownguard.agent.core;

import java.util.function.Supplier;

/** A supplier that computes its value once, on the calling thread; not shared between threads. */
final class Memo<T> implements Supplier<T> {
  private final Supplier<T> compute;
  private T value;

  Memo(Supplier<T> compute) {
    this.compute = compute;
  }

  @Override
  public T get() {
    if (value == null) {
      value = compute.get();
    }
    return value;
  }
}
