package io.teardownguard.samples.senddatadiscarded;

/** The client shuts its output, reads to EOF, then closes: the server receives every byte. */
public final class UnreadGreetingSafe {

  private UnreadGreetingSafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(PayloadUpload.run(PayloadSender::sendAndAwaitServerClose));
  }
}
