package io.teardownguard.model;

/**
 * A system call the JDK issues for a teardown call, in the order it issues them.
 *
 * @param kind which call
 * @param argument for {@link Kind#SET_LINGER}, the linger value ({@link Linger#OFF} for off)
 */
public record Syscall(Kind kind, int argument) {

  public enum Kind {
    /** shutdown(fd, SHUT_RD). */
    SHUT_RD,
    /** shutdown(fd, SHUT_WR). */
    SHUT_WR,
    /** setsockopt(fd, SOL_SOCKET, SO_LINGER, ...). */
    SET_LINGER,
    /** close(fd), the last reference: the kernel's tcp_close runs now. */
    CLOSE,
    /**
     * close(fd) deferred until the Selector the channel is registered with deregisters its key
     * (the next select), {@code SocketChannelImpl.kill}.
     */
    CLOSE_AT_DEREGISTRATION
  }

  public static Syscall of(Kind kind) {
    return new Syscall(kind, Linger.OFF);
  }

  public static Syscall setLinger(int seconds) {
    return new Syscall(Kind.SET_LINGER, seconds);
  }

  @Override
  public String toString() {
    return kind == Kind.SET_LINGER ? "SET_LINGER(" + Linger.describe(argument) + ")" : kind.name();
  }
}
