package io.teardownguard.samples.shutdowninputhidesdata;

/** shutdownInput() hides the queued body; the close that follows sends RST. */
public final class WebhookUnsafe {

  private WebhookUnsafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(WebhookDelivery.run(WebhookReceiver::ignoreBodyAndAcknowledge));
  }
}
