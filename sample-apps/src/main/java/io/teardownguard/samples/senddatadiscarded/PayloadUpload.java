package io.teardownguard.samples.senddatadiscarded;

import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Peer;
import io.teardownguard.samples.support.Teardown;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client uploading {@value PayloadSender#PAYLOAD_BYTES} bytes to a {@link DropServer} with
 * a 4 KB receive buffer, so that nearly all of it is still unacknowledged when the client ends
 * the connection.
 */
final class PayloadUpload {

  private static final int SERVER_RECEIVE_BUFFER = 4096;

  private PayloadUpload() {}

  /** Runs the upload, the client ending it with {@code sender}; returns a summary. */
  static String run(Teardown sender) throws Exception {
    try (ServerSocket listener = Loopback.listenWithReceiveBuffer(SERVER_RECEIVE_BUFFER)) {
      CountDownLatch greeted = new CountDownLatch(1);
      Peer<String> server = Peer.start("drop-server",
          () -> DropServer.receiveOne(listener, greeted::countDown));
      Socket socket = Loopback.connect(listener.getLocalPort());
      // Send only once the greeting has landed, as it has in practice where the server speaks
      // first: on loopback the server's write puts the segment in our receive queue before it
      // returns (the softirq that delivers it runs on the way out of the write).
      if (!greeted.await(Loopback.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        throw new TimeoutException("server sent no greeting");
      }
      sender.end(socket);
      return "client sent " + PayloadSender.PAYLOAD_BYTES + " bytes and closed; server: "
          + server.await();
    }
  }
}
