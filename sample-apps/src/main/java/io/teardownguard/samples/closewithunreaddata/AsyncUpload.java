package io.teardownguard.samples.closewithunreaddata;

import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Peer;
import io.teardownguard.samples.support.PostClient;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousServerSocketChannel;

/** {@link OversizedUpload}, with the server on completion handlers ({@link AsyncUploadServer}). */
final class AsyncUpload {

  private AsyncUpload() {}

  static String run(AsyncUploadServer.Rejection rejection) throws Exception {
    try (AsynchronousServerSocketChannel listener = AsynchronousServerSocketChannel.open()
        .bind(new InetSocketAddress(Loopback.address(), 0))) {
      int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
      Peer<String> client = Peer.start("upload-client",
          () -> PostClient.post(port, "/upload", OversizedUpload.BODY_BYTES));
      String server = AsyncUploadServer.refuseOne(listener, rejection);
      return "upload of " + OversizedUpload.BODY_BYTES + " bytes rejected with 413 by a completion-handler server ("
          + server.replaceAll("[0-9]+ body bytes", "the body") + "); client: " + client.await();
    }
  }
}
