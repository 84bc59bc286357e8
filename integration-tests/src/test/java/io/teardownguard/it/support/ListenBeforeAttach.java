package io.teardownguard.it.support;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM for the attach tests: a server that opens its listener, prints "waiting", waits
 * (bounded) for FILE, then serves {@code count} connections closing first on each (its side holds
 * TIME_WAIT), as a long-running server that an agent is attached to. Prints "done".
 */
public final class ListenBeforeAttach {
  private ListenBeforeAttach() {}

  public static void main(String[] args) throws Exception {
    Path go = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      System.out.println("waiting");
      for (int i = 0; i < 600 && !Files.exists(go); i++) {
        Thread.sleep(50);
      }
      Thread.sleep(500); // the agent's warm-up thread learns the listener
      for (int i = 0; i < count; i++) {
        try (Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
          Socket served = listener.accept();
          served.close(); // the server closes first
          InputStream in = client.getInputStream();
          in.readAllBytes();
        }
      }
    }
    System.out.println("done");
  }
}
