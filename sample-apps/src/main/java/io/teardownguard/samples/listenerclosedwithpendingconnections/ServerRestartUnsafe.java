package io.teardownguard.samples.listenerclosedwithpendingconnections;

/** The listener closes with three connections queued: each is reset. */
public final class ServerRestartUnsafe {

  private ServerRestartUnsafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(ServerRestart.run(RestartingServer::stop));
  }
}
