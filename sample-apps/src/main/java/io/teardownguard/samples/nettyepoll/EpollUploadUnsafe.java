package io.teardownguard.samples.nettyepoll;

/** A Netty epoll server answers 413 and closes while the body is still arriving: RST. */
public final class EpollUploadUnsafe {

  private EpollUploadUnsafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(EpollUpload.run(UploadHandler::closing));
  }
}
