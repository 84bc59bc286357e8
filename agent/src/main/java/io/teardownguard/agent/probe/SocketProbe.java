package io.teardownguard.agent.probe;

/**
 * Reads the kernel's view of a socket by its file descriptor, without changing the socket.
 *
 * <p>Probes run inside the application's close() and shutdown calls, so they never throw: a
 * socket they cannot read yields null. The caller must probe before the JDK touches the
 * descriptor: when other threads are blocked on a socket, the JDK's close first dup2()s its
 * pre-close marker (an AF_UNIX socket) over the descriptor.
 */
public interface SocketProbe {

  /**
   * The kernel's view of the TCP socket open as {@code fd}, or null when there is none to read:
   * the descriptor is not open, or is not a TCP socket.
   *
   * @param readLinger whether to read SO_LINGER (one more system call); when false, or when the
   *     probe cannot read it, {@link KernelView#lingerSeconds()} is -1
   * @param inputAtEof whether the application has already read EOF from the socket, so that no
   *     byte can be unread: a probe may then skip reading the receive queue (one system call
   *     less) and report {@link KernelView#unreadBytes()} as 0
   */
  KernelView probe(int fd, boolean readLinger, boolean inputAtEof);

  /**
   * The view the model needs when SO_LINGER is not wanted and no report will show the rest: a
   * probe may leave {@link KernelView#unackedBytes()} and {@link KernelView#sendWindow()}
   * {@link KernelView#UNKNOWN} where nothing waits to be sent (they cannot hold a FIN back then),
   * and answer without allocating.
   */
  default KernelView probeForModel(int fd, boolean inputAtEof) {
    return probe(fd, false, inputAtEof);
  }
}
