package io.teardownguard.samples.closewithunreaddata;

import io.teardownguard.samples.support.Drain;
import io.teardownguard.samples.support.Lines;
import io.teardownguard.samples.support.Loopback;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A server that, on connect, writes a status report: a status line and many detail lines at
 * once, then, once it has computed it, a summary line. Then it shuts its output down to mark the
 * end of the report and waits for the client to hang up.
 */
final class StatusServer {

  private static final String STATUS_LINE = "STATUS OK";

  /** About 43 KB of detail: less than a loopback receive window, more than BufferedReader takes. */
  private static final int DETAIL_LINES = 1000;

  /** How long the summary takes; a client that only wants the status line is gone by then. */
  private static final long SUMMARY_MILLIS = 200;

  /** More than a client ever sends here; reading stops at EOF long before this. */
  private static final long MAX_CLIENT_BYTES = 64 * 1024;

  private StatusServer() {}

  /**
   * Accepts one client, writes the status and detail lines in one write, runs {@code
   * detailsSent}, then sends the summary and waits for the client to hang up; returns how that
   * went.
   */
  static String reportToOne(ServerSocket listener, Runnable detailsSent) throws IOException,
      InterruptedException {
    try (Socket connection = Loopback.accept(listener)) {
      OutputStream out = connection.getOutputStream();
      out.write(statusAndDetails());
      out.flush();
      detailsSent.run();
      Thread.sleep(SUMMARY_MILLIS);
      try {
        Lines.write(out, "SUMMARY " + DETAIL_LINES + " queues idle, 0 errors");
        connection.shutdownOutput();
        Drain.toEof(connection.getInputStream(), MAX_CLIENT_BYTES);
        return "report delivered, client hung up after EOF";
      } catch (IOException e) {
        return "sending the summary failed (" + e.getMessage() + ")";
      }
    }
  }

  static int detailBytes() {
    return statusAndDetails().length;
  }

  private static byte[] statusAndDetails() {
    StringBuilder report = new StringBuilder(STATUS_LINE).append("\r\n");
    for (int i = 0; i < DETAIL_LINES; i++) {
      report.append(String.format("detail %04d: queue=idle workers=8 errors=0\r\n", i));
    }
    return report.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
