package io.teardownguard.samples.serversidetimewait;

/** The server closes first on every connection: 600 TIME_WAIT entries on the server's port. */
public final class TimeChurnUnsafe {

  private TimeChurnUnsafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(TimeChurn.run(TimeServer::closeAfterReply, TimeClient::askAndReadToEnd)
        + "; the server closed first on each");
  }
}
