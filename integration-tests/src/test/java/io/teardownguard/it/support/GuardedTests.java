package io.teardownguard.it.support;

import io.teardownguard.agent.junit.TeardownGuarded;
import io.teardownguard.model.rules.Severity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * Tests run by {@code JUnitExtensionIT} through the JUnit Platform test kit, not by the build:
 * they are nested in a class the build's test runner does not pick up (no Test/IT suffix).
 */
public final class GuardedTests {
  private GuardedTests() {}

  /** Fails: its server resets a connection whose request it did not read. */
  @TeardownGuarded
  public static final class Unsafe {
    @Test
    void closesWithUnreadRequest() throws Exception {
      exchange(false);
    }
  }

  /** Passes: the server drains the request before closing. */
  @TeardownGuarded
  public static final class Safe {
    @Test
    void drainsThenCloses() throws Exception {
      exchange(true);
    }
  }

  /** Passes, only reporting: failOn WARNING with reportOnly. */
  @TeardownGuarded(failOn = Severity.WARNING, reportOnly = true)
  public static final class ReportOnly {
    @Test
    void closesWithUnreadRequest() throws Exception {
      exchange(false);
    }
  }

  private static void exchange(boolean drain) throws IOException, InterruptedException {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
      Socket server = listener.accept();
      client.getOutputStream().write(new byte[32]);
      if (drain) {
        client.shutdownOutput();
        server.getInputStream().readAllBytes();
      } else {
        Thread.sleep(20); // the request reaches the server's receive queue, unread
      }
      server.close();
    }
  }
}
