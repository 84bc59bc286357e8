package io.teardownguard.bench;

import java.io.IOException;

/** A child failed or printed something unexpected; the message is one line naming which. */
final class BenchmarkException extends IOException {
  private static final long serialVersionUID = 1L;

  BenchmarkException(String message) {
    super(message);
  }
}
