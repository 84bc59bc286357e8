package io.teardownguard.samples.closewithunreaddata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A health check that only needs the first line of a {@link StatusServer}'s report. */
final class HealthCheck {

  /** More than any report; the bound only keeps the read finite. */
  private static final long MAX_REPORT_CHARS = 16 * 1024 * 1024;

  private HealthCheck() {}

  /**
   * Unsafe: reads the status line and closes. BufferedReader took one 8 KB buffer from the
   * socket; the rest of the report is still in the kernel's receive queue, so the close sends
   * RST ({@code __tcp_close()}, RFC 2525 2.17): the server, still writing its report, fails with
   * "Broken pipe" where a clean hang-up was meant.
   */
  static String checkStatus(Socket socket) throws IOException {
    BufferedReader reader = reader(socket);
    String status = reader.readLine();
    socket.close();
    return status;
  }

  /**
   * Safe: reads the status line, then skips the rest of the report up to the server's EOF
   * ({@code skip} stops there), bounded by a character limit and SO_TIMEOUT, and only then
   * closes: nothing is unread, so FIN, no RST.
   */
  static String checkStatusReadingToEnd(Socket socket) throws IOException {
    BufferedReader reader = reader(socket);
    String status = reader.readLine();
    reader.skip(MAX_REPORT_CHARS);
    socket.close();
    return status;
  }

  private static BufferedReader reader(Socket socket) throws IOException {
    return new BufferedReader(new InputStreamReader(socket.getInputStream(),
        StandardCharsets.US_ASCII));
  }
}
