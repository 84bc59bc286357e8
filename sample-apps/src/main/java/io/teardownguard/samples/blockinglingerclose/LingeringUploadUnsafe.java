package io.teardownguard.samples.blockinglingerclose;

/** close() with SO_LINGER 2 s blocks until the slow collector has acknowledged everything. */
public final class LingeringUploadUnsafe {

  private LingeringUploadUnsafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(ReportUpload.run(ReportUploader::sendAndClose));
  }
}
