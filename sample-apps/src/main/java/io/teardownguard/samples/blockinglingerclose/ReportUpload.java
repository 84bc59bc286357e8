package io.teardownguard.samples.blockinglingerclose;

import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Peer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/** One {@link ReportUploader} sends a report to a {@link SlowCollector} with a 4 KB receive buffer. */
final class ReportUpload {

  private static final int COLLECTOR_RECEIVE_BUFFER = 4096;

  /** How the uploader sends the report and ends the connection; returns what it waited for. */
  @FunctionalInterface
  interface Upload {
    String send(Socket socket) throws IOException;
  }

  private ReportUpload() {}

  /** Runs the upload with {@code upload}; returns a summary. */
  static String run(Upload upload) throws Exception {
    try (ServerSocket listener = Loopback.listenWithReceiveBuffer(COLLECTOR_RECEIVE_BUFFER)) {
      Peer<Long> collector = Peer.start("collector", () -> SlowCollector.collectOne(listener));
      String waited = upload.send(Loopback.connect(listener.getLocalPort()));
      return "uploader: " + waited + "; collector (busy for " + SlowCollector.BUSY_MILLIS
          + " ms) received " + collector.await() + " of " + ReportUploader.REPORT_BYTES + " bytes";
    }
  }
}
