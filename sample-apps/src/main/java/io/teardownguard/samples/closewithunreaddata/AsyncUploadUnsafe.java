package io.teardownguard.samples.closewithunreaddata;

/** A completion-handler server answers 413 and closes its AsynchronousSocketChannel while the body is still arriving: RST. */
public final class AsyncUploadUnsafe {

  private AsyncUploadUnsafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(AsyncUpload.run(AsyncUploadServer::rejectOversized));
  }
}
