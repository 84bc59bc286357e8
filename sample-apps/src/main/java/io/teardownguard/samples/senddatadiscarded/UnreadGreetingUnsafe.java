package io.teardownguard.samples.senddatadiscarded;

/** The client closes with the greeting unread: RST, and the unsent payload is thrown away. */
public final class UnreadGreetingUnsafe {

  private UnreadGreetingUnsafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(PayloadUpload.run(PayloadSender::sendAndClose));
  }
}
