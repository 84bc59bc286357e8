package io.teardownguard.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM for the agent tests: {@code count} times, a server socket is closed while the
 * client's bytes are still unread (a reset), or with SO_LINGER 0 ({@code --linger0}). With
 * {@code --wait FILE} it first waits (bounded) for FILE to exist, so that a test can attach the
 * agent to it; with {@code --hold FILE} it waits (bounded) for FILE after the closes, so that a test
 * can scrape its metrics, and with {@code --repeat} it goes on closing badly (every 100 ms) while
 * it waits. Prints "done" and exits 0.
 */
public final class UnsafeCloseApp {
  private UnsafeCloseApp() {}

  public static void main(String[] args) throws Exception {
    int count = 1;
    boolean abortive = false;
    Path wait = null;
    Path hold = null;
    boolean repeat = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--count" -> count = Integer.parseInt(args[++i]);
        case "--linger0" -> abortive = true;
        case "--wait" -> wait = Path.of(args[++i]);
        case "--hold" -> hold = Path.of(args[++i]);
        case "--repeat" -> repeat = true;
        default -> throw new IllegalArgumentException(args[i]);
      }
    }
    if (wait != null) {
      System.out.println("waiting");
      awaitFile(wait);
    }
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      for (int i = 0; i < count; i++) {
        closeBadly(listener, abortive);
      }
      if (hold != null) {
        System.out.println("holding");
        for (int i = 0; i < 600 && !Files.exists(hold); i++) {
          if (repeat) {
            closeBadly(listener, abortive);
          }
          Thread.sleep(100);
        }
      }
    }
    System.out.println("done");
  }

  /** Up to 30 s. */
  private static void awaitFile(Path file) throws InterruptedException {
    for (int i = 0; i < 600 && !Files.exists(file); i++) {
      Thread.sleep(50);
    }
  }

  private static void closeBadly(ServerSocket listener, boolean abortive) throws IOException, InterruptedException {
    try (Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
      Socket server = listener.accept();
      client.getOutputStream().write(new byte[64]);
      Thread.sleep(20); // let the bytes reach the server's receive queue
      if (abortive) {
        server.setSoLinger(true, 0);
        server.getInputStream().read(new byte[64]);
      }
      rejectRequest(server);
    }
  }

  /** The call site the agent must blame. */
  static void rejectRequest(Socket server) throws IOException {
    server.close();
  }
}
