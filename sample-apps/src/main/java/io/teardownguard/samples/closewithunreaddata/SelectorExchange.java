package io.teardownguard.samples.closewithunreaddata;

import io.teardownguard.samples.support.Peer;
import java.io.IOException;

/** One {@link CommandClient} request to a {@link CommandServer}. */
final class SelectorExchange {

  /** How the client sends its request; returns what it saw. */
  @FunctionalInterface
  interface ClientRequest {
    String send(CommandClient client) throws IOException;
  }

  private SelectorExchange() {}

  /**
   * Runs one request, sent with {@code request} and handled with {@code handler}; returns a
   * summary. The client closes only after the server's loop has ended.
   */
  static String run(CommandServer.ReadHandler handler, ClientRequest request) throws Exception {
    try (CommandServer server = CommandServer.open();
        CommandClient client = CommandClient.connect(server.port())) {
      Peer<String> exchange = Peer.start("command-client", () -> request.send(client));
      server.serveOne(handler);
      return "selector server handled a " + (CommandServer.HEADER_BYTES + CommandClient.BODY_BYTES)
          + "-byte request; client: " + exchange.await();
    }
  }
}
