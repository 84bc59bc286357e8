package io.teardownguard.samples.nettyepoll;

/** A Netty epoll server answers 413, shuts its output, drains the body, and closes: FIN only. */
public final class EpollUploadSafe {

  private EpollUploadSafe() {}

  public static void main(String[] args) throws Exception {
    System.out.println(EpollUpload.run(UploadHandler::draining));
  }
}
