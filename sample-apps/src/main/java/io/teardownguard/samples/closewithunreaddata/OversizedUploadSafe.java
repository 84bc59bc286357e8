package io.teardownguard.samples.closewithunreaddata;

/** The server answers 413, shuts its output, drains the body to EOF, then closes: FIN only. */
public final class OversizedUploadSafe {

  private OversizedUploadSafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(OversizedUpload.run(UploadServer::rejectOversizedAfterDraining));
  }
}
