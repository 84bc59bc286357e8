package io.teardownguard.samples.resetondataaftershutdown;

/** The server shuts input and output after its reply: the client's next chunk meets RST. */
public final class BatchIngestUnsafe {

  private BatchIngestUnsafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(BatchIngest.run(IngestServer::hangUp));
  }
}
