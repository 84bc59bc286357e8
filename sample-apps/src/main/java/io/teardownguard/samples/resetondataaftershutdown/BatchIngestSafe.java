package io.teardownguard.samples.resetondataaftershutdown;

/** The server shuts only its output and reads the client's chunks to EOF: FIN only. */
public final class BatchIngestSafe {

  private BatchIngestSafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(BatchIngest.run(IngestServer::finishAfterClient));
  }
}
