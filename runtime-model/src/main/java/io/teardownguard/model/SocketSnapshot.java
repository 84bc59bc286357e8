package io.teardownguard.model;

import java.util.Objects;

/**
 * One socket at the moment of a teardown call: the kernel's view (state, queues) and the Java
 * layer's (API, mode, which directions the application already shut).
 *
 * @param api the class the application owns the socket through
 * @param mode blocking, non-blocking or registered with a Selector
 * @param jdkFeature the JDK feature release (17, 21, 25) whose socket code runs
 * @param state the kernel's TCP state for the connection ({@code /proc/net/tcp}); TIME_WAIT when
 *     only a time-wait socket is left, CLOSE when the kernel has nothing for it
 * @param connected whether Java considers the socket connected ({@code Socket.isConnected()})
 * @param unreadBytes bytes received and not yet read by the application (rx_queue)
 * @param unsentBytes bytes written and not yet acknowledged by the peer (tx_queue)
 * @param inputShut this side called shutdownInput
 * @param outputShut this side called shutdownOutput (its FIN is queued or sent)
 * @param peerOutputShut the peer's FIN has arrived
 * @param lingerSeconds SO_LINGER, {@link Linger#OFF} when off
 * @param acceptQueue for a listener, connections waiting in the accept queue
 * @param inFlightBytes bytes written that the peer's window does not hold back but that are not
 *     yet acknowledged: on the link, sent or about to be; 0 on loopback, where they are
 *     acknowledged at once, and when the reader cannot tell (/proc/net/tcp)
 */
public record SocketSnapshot(
    JavaApi api,
    ChannelMode mode,
    int jdkFeature,
    TcpState state,
    boolean connected,
    long unreadBytes,
    long unsentBytes,
    boolean inputShut,
    boolean outputShut,
    boolean peerOutputShut,
    int lingerSeconds,
    int acceptQueue,
    long inFlightBytes) {

  public SocketSnapshot {
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(state, "state");
    if (unreadBytes < 0 || unsentBytes < 0 || acceptQueue < 0 || inFlightBytes < 0) {
      throw new IllegalArgumentException("queue sizes must not be negative");
    }
  }

  /**
   * Written out rather than the record's own: those are linked through an invokedynamic
   * (ObjectMethods) whose method-handle tree over 13 components the agent paid in the application's
   * first close, where the outcome cache looks a snapshot up (issue 14). Same contract: every
   * component.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof SocketSnapshot o
        && api == o.api && mode == o.mode && jdkFeature == o.jdkFeature && state == o.state
        && connected == o.connected && unreadBytes == o.unreadBytes && unsentBytes == o.unsentBytes
        && inputShut == o.inputShut && outputShut == o.outputShut && peerOutputShut == o.peerOutputShut
        && lingerSeconds == o.lingerSeconds && acceptQueue == o.acceptQueue && inFlightBytes == o.inFlightBytes;
  }

  @Override
  public int hashCode() {
    int hash = api.hashCode();
    hash = 31 * hash + mode.hashCode();
    hash = 31 * hash + jdkFeature;
    hash = 31 * hash + state.hashCode();
    hash = 31 * hash + Long.hashCode(unreadBytes);
    hash = 31 * hash + Long.hashCode(unsentBytes);
    hash = 31 * hash + Long.hashCode(inFlightBytes);
    hash = 31 * hash + lingerSeconds;
    hash = 31 * hash + acceptQueue;
    int flags = (connected ? 1 : 0) | (inputShut ? 2 : 0) | (outputShut ? 4 : 0) | (peerOutputShut ? 8 : 0);
    return 31 * hash + flags;
  }

  /** A socket with nothing in flight (loopback, or a reader that cannot tell). */
  public SocketSnapshot(JavaApi api, ChannelMode mode, int jdkFeature, TcpState state, boolean connected,
      long unreadBytes, long unsentBytes, boolean inputShut, boolean outputShut, boolean peerOutputShut,
      int lingerSeconds, int acceptQueue) {
    this(api, mode, jdkFeature, state, connected, unreadBytes, unsentBytes, inputShut, outputShut,
        peerOutputShut, lingerSeconds, acceptQueue, 0);
  }

  /** A connected socket in {@code state} with empty queues, nothing shut, SO_LINGER off. */
  public static SocketSnapshot connected(JavaApi api, ChannelMode mode, int jdkFeature, TcpState state) {
    return new SocketSnapshot(api, mode, jdkFeature, state, true, 0, 0, false, false,
        state == TcpState.CLOSE_WAIT, Linger.OFF, 0);
  }

  /** A listening socket with {@code acceptQueue} connections waiting to be accepted. */
  public static SocketSnapshot listener(JavaApi api, ChannelMode mode, int jdkFeature, int acceptQueue) {
    return new SocketSnapshot(api, mode, jdkFeature, TcpState.LISTEN, false, 0, 0,
        false, false, false, Linger.OFF, acceptQueue);
  }

  public SocketSnapshot withUnreadBytes(long bytes) {
    return new SocketSnapshot(api, mode, jdkFeature, state, connected, bytes, unsentBytes,
        inputShut, outputShut, peerOutputShut, lingerSeconds, acceptQueue, inFlightBytes);
  }

  public SocketSnapshot withUnsentBytes(long bytes) {
    return new SocketSnapshot(api, mode, jdkFeature, state, connected, unreadBytes, bytes,
        inputShut, outputShut, peerOutputShut, lingerSeconds, acceptQueue, inFlightBytes);
  }

  public SocketSnapshot withInFlightBytes(long bytes) {
    return new SocketSnapshot(api, mode, jdkFeature, state, connected, unreadBytes, unsentBytes,
        inputShut, outputShut, peerOutputShut, lingerSeconds, acceptQueue, bytes);
  }

  public SocketSnapshot withLinger(int seconds) {
    return new SocketSnapshot(api, mode, jdkFeature, state, connected, unreadBytes, unsentBytes,
        inputShut, outputShut, peerOutputShut, seconds, acceptQueue, inFlightBytes);
  }

  public SocketSnapshot withShut(boolean input, boolean output) {
    return new SocketSnapshot(api, mode, jdkFeature, state, connected, unreadBytes, unsentBytes,
        input, output, peerOutputShut, lingerSeconds, acceptQueue, inFlightBytes);
  }

  public SocketSnapshot withState(TcpState newState) {
    return new SocketSnapshot(api, mode, jdkFeature, newState, connected, unreadBytes, unsentBytes,
        inputShut, outputShut, peerOutputShut, lingerSeconds, acceptQueue, inFlightBytes);
  }

  public SocketSnapshot withPeerOutputShut(boolean shut) {
    return new SocketSnapshot(api, mode, jdkFeature, state, connected, unreadBytes, unsentBytes,
        inputShut, outputShut, shut, lingerSeconds, acceptQueue, inFlightBytes);
  }
}
