package io.teardownguard.samples.tlsclosediscardsdata;

/** The server refuses after the header and closes: the TLS close drops the 5,000-byte body silently. */
public final class TlsIngestUnsafe {

  private TlsIngestUnsafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(IngestOverTls.run(IngestServer::refuseAfterHeader));
  }
}
