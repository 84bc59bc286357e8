package io.teardownguard.samples.closewithunreaddata;

/** The server answers 413 and closes while the body is still arriving: RST. */
public final class OversizedUploadUnsafe {

  private OversizedUploadUnsafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(OversizedUpload.run(UploadServer::rejectOversized));
  }
}
