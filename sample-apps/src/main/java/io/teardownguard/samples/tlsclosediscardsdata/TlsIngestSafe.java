package io.teardownguard.samples.tlsclosediscardsdata;

/** The server refuses after the header, reads the body the header declared, then closes. */
public final class TlsIngestSafe {

  private TlsIngestSafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(IngestOverTls.run(IngestServer::refuseAfterDraining));
  }
}
