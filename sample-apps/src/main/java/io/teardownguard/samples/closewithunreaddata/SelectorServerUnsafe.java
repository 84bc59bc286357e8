package io.teardownguard.samples.closewithunreaddata;

/** The selector loop closes the channel after reading only the header: RST at the next select. */
public final class SelectorServerUnsafe {

  private SelectorServerUnsafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(SelectorExchange.run(CommandServer::replyAfterHeader, CommandClient::send));
  }
}
