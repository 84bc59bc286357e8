package io.teardownguard.agent.metrics.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.agent.config.PrometheusTarget;
import io.teardownguard.agent.metrics.TeardownCounters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The endpoint serves on while clients that send nothing, or a byte now and then, hold connections. */
@Timeout(60)
final class PrometheusEndpointTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void anIdleClientAndASlowOneDelayNoScrapeAndAreCutOffInBoundedTime() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, LOOPBACK)) {
      port = free.getLocalPort();
    }
    PrometheusEndpoint.start(new PrometheusTarget("127.0.0.1", port), new TeardownCounters(), () -> 0,
        new AtomicLong(), Runnable::run, System.err);

    try (Socket idle = connect(port); Socket slow = connect(port)) {
      slow.getOutputStream().write('G'); // then nothing more while the scrape runs

      String response = scrape(port);

      assertTrue(response.startsWith("HTTP/1.1 200 OK"), response);
      assertTrue(response.contains("teardown_findings_total"), response);
      idle.setSoTimeout(200);
      assertThrows(SocketTimeoutException.class, () -> idle.getInputStream().read(),
          "the scrape was answered while the idle client was still being waited for");
      // Both are then cut off by the head deadline (5 s), the slow one whatever its pace.
      OutputStream slowOut = slow.getOutputStream();
      for (int i = 0; i < 20 && !cutOff(idle); i++) {
        sendQuietly(slowOut);
      }
      assertTrue(cutOff(idle), "the idle client is cut off");
      slow.setSoTimeout(10_000);
      assertTrue(endOf(slow.getInputStream()), "the slow client is cut off");
    }
  }

  private static Socket connect(int port) throws Exception {
    for (int i = 0; ; i++) {
      try {
        return new Socket(LOOPBACK, port);
      } catch (ConnectException notYet) {
        if (i == 100) {
          throw notYet;
        }
        Thread.sleep(50); // the endpoint binds on its own thread
      }
    }
  }

  private static String scrape(int port) throws Exception {
    try (Socket client = connect(port)) {
      client.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      client.setSoTimeout(10_000);
      return new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Waits up to a second for the server's end of the connection (EOF or reset). */
  private static boolean cutOff(Socket socket) throws IOException {
    socket.setSoTimeout(1000);
    try {
      return endOf(socket.getInputStream());
    } catch (SocketTimeoutException stillOpen) {
      return false;
    }
  }

  private static boolean endOf(InputStream in) throws IOException {
    try {
      assertEquals(-1, in.read());
      return true;
    } catch (SocketTimeoutException stillOpen) {
      throw stillOpen;
    } catch (IOException reset) {
      return true;
    }
  }

  private static void sendQuietly(OutputStream out) {
    try {
      out.write('E');
    } catch (IOException cutOff) {
      // the server has closed: what the test waits for
    }
  }
}
