package io.teardownguard.conformance.peer;

import java.io.IOException;

/**
 * The other end of every scenario: plain {@code java.net.Socket}s driven one call at a time. On
 * loopback they live in the suite's own JVM ({@link PeerSockets}); on a link they live in a child
 * JVM in the other network namespace ({@link PeerProcess}), which runs the same class. Sockets are
 * numbered in the order they were made; addresses are written {@code "ip:port"}. Only ints and
 * strings cross this interface, so that it can cross a pipe as one line each way.
 */
public interface Peer extends AutoCloseable {

  /** Connects a new socket to {@code address}; SO_RCVBUF first when {@code receiveBuffer} > 0. */
  int connect(String address, int receiveBuffer) throws IOException;

  /** The address socket {@code peer} connected from. */
  String localAddress(int peer) throws IOException;

  /** Opens the peer's listener (one at a time) on its own address; returns where it listens. */
  String listen(int backlog, int receiveBuffer) throws IOException;

  /** Accepts one connection on the listener; returns the new socket's number. */
  int accept() throws IOException;

  /** Writes {@code bytes} zero bytes. */
  void write(int peer, int bytes) throws IOException;

  /** Reads exactly {@code bytes} bytes, or throws. */
  void readExactly(int peer, int bytes, int timeoutMillis) throws IOException;

  /**
   * Reads until EOF, a reset or {@code quietMillis} without data: "END BYTES", END one of the
   * model's {@code PeerRead} names (or "threw ..."), BYTES what it read.
   */
  String readToEnd(int peer, int quietMillis) throws IOException;

  void shutdownOutput(int peer) throws IOException;

  void close(int peer) throws IOException;

  void linger(int peer, int seconds) throws IOException;

  /** Writes one byte: "ok", "output shut" or "failed". */
  String writeOne(int peer) throws IOException;

  /** A new connection attempt to {@code address}: "refused" or "connected". */
  String connectProbe(String address) throws IOException;

  /**
   * Layers an SSLSocket over socket {@code peer} ({@code "client"} or {@code "server"} mode,
   * {@code protocol} only, the key store at {@code keyStore}) and completes the handshake, with the
   * endpoint under test doing its part at the same time; from then on the socket's calls are TLS's.
   */
  void startTls(int peer, String mode, String protocol, String keyStore) throws IOException;

  /** Closes every socket and the listener: the next scenario starts with none. */
  void reset() throws IOException;

  @Override
  void close() throws IOException;
}
