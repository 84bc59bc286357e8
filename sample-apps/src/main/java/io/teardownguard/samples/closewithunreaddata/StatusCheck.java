package io.teardownguard.samples.closewithunreaddata;

import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Peer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A {@link HealthCheck} connects to a {@link StatusServer}, reads the status, and hangs up. */
final class StatusCheck {

  /** How the health check reads the report and hangs up; returns the status line. */
  @FunctionalInterface
  interface Check {
    String check(Socket socket) throws IOException;
  }

  private StatusCheck() {}

  /** Runs one check with {@code check}; returns a summary. */
  static String run(Check check) throws Exception {
    try (ServerSocket listener = Loopback.listen()) {
      CountDownLatch detailsSent = new CountDownLatch(1);
      Peer<String> server = Peer.start("status-server",
          () -> StatusServer.reportToOne(listener, detailsSent::countDown));
      Socket socket = Loopback.connect(listener.getLocalPort());
      // Start reading once the details are in our receive queue: they fit the receive window,
      // and on loopback the server's write delivers them before it returns (the softirq runs on
      // the way out of the write). BufferedReader then takes 8 KB; the rest stays in the kernel.
      if (!detailsSent.await(Loopback.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        throw new TimeoutException("server sent no report");
      }
      String status = check.check(socket);
      return "health check read \"" + status + "\" (" + StatusServer.detailBytes()
          + " bytes sent so far) and hung up; server: " + server.await();
    }
  }
}
