package io.teardownguard.samples.closewithunreaddata;

/** The completion-handler server answers 413, shuts its output, drains the body to EOF, then closes: FIN only. */
public final class AsyncUploadSafe {

  private AsyncUploadSafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(AsyncUpload.run(AsyncUploadServer::rejectOversizedAfterDraining));
  }
}
