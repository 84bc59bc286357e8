package io.teardownguard.samples.blockinglingerclose;

import io.teardownguard.samples.support.Drain;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/** Uploads a report to a {@link SlowCollector}; each way of ending the upload says how long it waited. */
final class ReportUploader {

  static final int REPORT_BYTES = 256 * 1024;

  /** The linger time the unsafe variant sets; longer than the collector's busy spell. */
  private static final int LINGER_SECONDS = 2;

  /** The collector sends nothing back; the bound only keeps the read loop finite. */
  private static final long MAX_REPLY_BYTES = 1024;

  private ReportUploader() {}

  /**
   * Unsafe: sets SO_LINGER to {@value #LINGER_SECONDS} s "to make sure the data is delivered",
   * writes and closes. close() now blocks until the collector has acknowledged every byte and our
   * FIN, up to the linger time ({@code sk_stream_wait_close()}): the closing thread stalls for as
   * long as the peer is slow. And it proves nothing: on timeout Linux returns 0 and goes on
   * sending, so the caller cannot tell delivered from not delivered.
   */
  static String sendAndClose(Socket socket) throws IOException {
    socket.setSoLinger(true, LINGER_SECONDS);
    OutputStream out = socket.getOutputStream();
    out.write(new byte[REPORT_BYTES]);
    out.flush();
    long start = System.nanoTime();
    socket.close();
    return "close() blocked " + millisSince(start) + " ms";
  }

  /**
   * Safe: writes, sends FIN behind the data with {@code shutdownOutput()}, and waits (bounded by
   * SO_TIMEOUT) for the collector's EOF, which it sends only after reading everything: a
   * confirmation the application can act on. Then close() returns at once.
   */
  static String sendAndAwaitConfirmation(Socket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(new byte[REPORT_BYTES]);
    out.flush();
    socket.shutdownOutput();
    long start = System.nanoTime();
    Drain.toEof(socket.getInputStream(), MAX_REPLY_BYTES);
    long confirmed = millisSince(start);
    start = System.nanoTime();
    socket.close();
    return "collector confirmed after " + confirmed + " ms, then close() took "
        + millisSince(start) + " ms";
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
