package io.teardownguard.samples.shutdowninputhidesdata;

import io.teardownguard.samples.support.Loopback;
import io.teardownguard.samples.support.Peer;
import io.teardownguard.samples.support.PostClient;
import io.teardownguard.samples.support.RequestHead;
import io.teardownguard.samples.support.Teardown;
import java.net.ServerSocket;

/**
 * One webhook delivery, a POST with a {@value #BODY_BYTES}-byte body, to a {@link WebhookReceiver}.
 * The sender serializes the event as it sends it: the first 64 KB of the body go out with the
 * head, the rest {@value #SERIALIZE_MILLIS} ms later. The receiver has answered by then, so it
 * always does so with body bytes queued and the sender's side open.
 */
final class WebhookDelivery {

  static final long BODY_BYTES = 96 * 1024;

  private static final long SERIALIZE_MILLIS = 100;

  private WebhookDelivery() {}

  /** Runs the delivery, the receiver answering with {@code respond}; returns a summary. */
  static String run(Teardown respond) throws Exception {
    try (ServerSocket listener = Loopback.listen()) {
      Peer<String> sender = Peer.start("webhook-sender",
          () -> PostClient.post(listener.getLocalPort(), "/hooks/deploy", BODY_BYTES,
              SERIALIZE_MILLIS));
      RequestHead head = WebhookReceiver.receiveOne(listener, respond);
      return "receiver accepted \"" + head.requestLine() + "\" with a " + head.contentLength()
          + "-byte body; sender: " + sender.await();
    }
  }
}
