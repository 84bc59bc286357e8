package io.teardownguard.samples.blockinglingerclose;

/** The uploader shuts its output and waits for the collector's EOF; close() does not block. */
public final class LingeringUploadSafe {

  private LingeringUploadSafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(ReportUpload.run(ReportUploader::sendAndAwaitConfirmation));
  }
}
