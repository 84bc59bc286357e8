package io.teardownguard.agent.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The local ports this process has listened on: a connection whose local port is one of them
 * was accepted, so it is the server's side. A fixed 8 KiB bitmap, lock-free, whatever the
 * number of listeners.
 */
final class ListeningPorts {
  private static final int PORTS = 65_536;
  private final AtomicLongArray bits = new AtomicLongArray(PORTS / Long.SIZE);

  void add(int port) {
    if (port > 0 && port < PORTS) {
      long mask = 1L << (port % Long.SIZE);
      int word = port / Long.SIZE;
      long current;
      do {
        current = bits.get(word);
      } while ((current & mask) == 0 && !bits.compareAndSet(word, current, current | mask));
    }
  }

  boolean contains(int port) {
    return port > 0 && port < PORTS && (bits.get(port / Long.SIZE) & (1L << (port % Long.SIZE))) != 0;
  }
}
