package io.teardownguard.samples.closewithunreaddata;

import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Peer;
import io.teardownguard.samples.support.PostClient;
import io.teardownguard.samples.support.RequestHead;
import io.teardownguard.samples.support.Teardown;
import java.net.ServerSocket;

/**
 * One upload of {@value #BODY_BYTES} bytes to an {@link UploadServer} that refuses it. The body
 * is larger than what the socket buffers on both ends hold (a few MB on loopback), so the client
 * is still blocked writing it when the server ends the connection.
 */
final class OversizedUpload {

  static final long BODY_BYTES = 8L * 1024 * 1024;

  private OversizedUpload() {}

  /** Runs the upload, ending the server's connection with {@code rejection}; returns a summary. */
  static String run(Teardown rejection) throws Exception {
    try (ServerSocket listener = Loopback.listen()) {
      Peer<String> client = Peer.start("upload-client",
          () -> PostClient.post(listener.getLocalPort(), "/upload", BODY_BYTES));
      RequestHead head = UploadServer.refuseOne(listener, rejection);
      return "upload of " + head.contentLength() + " bytes (limit " + UploadServer.MAX_BODY_BYTES
          + ") rejected with 413; client: " + client.await();
    }
  }
}
