package io.teardownguard.samples.closewithunreaddata;

/** The selector loop reads the request to EOF, then replies and closes: FIN only. */
public final class SelectorServerSafe {

  private SelectorServerSafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(SelectorExchange.run(CommandServer::replyAtEndOfRequest,
        CommandClient::sendAndShutdownOutput));
  }
}
