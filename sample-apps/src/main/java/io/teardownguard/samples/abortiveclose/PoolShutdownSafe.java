package io.teardownguard.samples.abortiveclose;

/** The pool closes its idle connections plainly: FIN, and the backend reads EOF. */
public final class PoolShutdownSafe {

  private PoolShutdownSafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(PoolShutdown.run(ConnectionPool::shutdownGracefully));
  }
}
