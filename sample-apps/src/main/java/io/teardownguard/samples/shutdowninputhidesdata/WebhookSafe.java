package io.teardownguard.samples.shutdowninputhidesdata;

/** The receiver drains the body to EOF after answering, then closes: FIN only. */
public final class WebhookSafe {

  private WebhookSafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(WebhookDelivery.run(WebhookReceiver::acknowledgeAfterDraining));
  }
}
