package io.teardownguard.samples.serversidetimewait;

/** Each client closes first and the server second: TIME_WAIT stays with the clients. */
public final class TimeChurnSafe {

  private TimeChurnSafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(TimeChurn.run(TimeServer::closeAfterClientCloses, TimeClient::askAndClose)
        + "; each client closed first");
  }
}
