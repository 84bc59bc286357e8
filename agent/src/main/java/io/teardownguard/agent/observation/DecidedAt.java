package io.teardownguard.agent.observation;

/**
 * When the facts a prediction rests on (state, unread and unsent bytes) were read, against the
 * close(2) or shutdown(2) whose segments they decide. The report's {@code predicted.decidedAt}.
 */
public enum DecidedAt {
  /**
   * In the teardown call itself, at its entry, right before the JDK's syscalls (a close is
   * reported after they return, from what was read then).
   */
  CALL("call"),
  /** In SocketChannelImpl.kill(), right before the close(2) a Selector deferred. */
  RELEASE("release"),
  /**
   * In SSLSocket.close() and before each call it made on the socket beneath; between them the TLS
   * layer sent close_notify and our FIN and read what had come in, while the peer could answer.
   */
  TLS_CLOSE("tls-close"),
  /** At JVM exit: the kernel closes the descriptor later, when the process ends. */
  EXIT("exit"),
  /**
   * In the close call, which queues the close to io_uring (Netty's IORING_OP_CLOSE): the kernel
   * closes the descriptor when the ring is next submitted, after what the event loop does first.
   */
  QUEUED("queued");

  private final String reportName;

  DecidedAt(String reportName) {
    this.reportName = reportName;
  }

  public String reportName() {
    return reportName;
  }
}
