package io.teardownguard.samples.abortiveclose;

/** The pool closes its idle connections with SO_LINGER 0: RST on each. */
public final class PoolShutdownUnsafe {

  private PoolShutdownUnsafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(PoolShutdown.run(ConnectionPool::shutdown));
  }
}
