package io.teardownguard.samples.listenerclosedwithpendingconnections;

/** The queued connections are accepted, told to retry and closed; then the listener closes. */
public final class ServerRestartSafe {

  private ServerRestartSafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(ServerRestart.run(RestartingServer::stopAfterTurningAwayBacklog));
  }
}
