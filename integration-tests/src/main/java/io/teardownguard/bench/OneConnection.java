package io.teardownguard.bench;

import java.io.IOException;
import java.net.ServerSocket;

/** The start-up benchmark's program: opens and closes one loopback connection, then exits. */
public final class OneConnection {
  private OneConnection() {}

  public static void main(String[] args) throws IOException {
    try (ServerSocket listener = SocketPair.listen()) {
      SocketPair pair = SocketPair.open(listener);
      pair.server().close();
      pair.client().close();
    }
  }
}
