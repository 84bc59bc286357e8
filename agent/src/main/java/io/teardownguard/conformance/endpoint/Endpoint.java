package io.teardownguard.conformance.endpoint;

import io.teardownguard.conformance.scenario.ApiVariant;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The connected endpoint under test, driven through one Java API. Every blocking operation is
 * bounded in time; the endpoint remembers which directions the application shut, as Java does.
 */
public interface Endpoint {
  /** How long a read or write may take before the step fails. */
  long IO_TIMEOUT_MILLIS = 2_000;

  ApiVariant variant();

  /** The {@code Socket} or {@code SocketChannel} the application would hold (for the agent's observer). */
  Object socket();

  InetSocketAddress localAddress();

  InetSocketAddress remoteAddress();

  /** Java's view: {@code isConnected()}. */
  boolean connected();

  /** Writes {@code bytes} zero bytes, all of them. */
  void write(int bytes) throws IOException;

  /**
   * One read of up to {@code max} bytes: the count, -1 at end of stream, 0 when nothing arrived
   * within {@code timeoutMillis}.
   */
  int read(int max, long timeoutMillis) throws IOException;

  void shutdownInput() throws IOException;

  void shutdownOutput() throws IOException;

  void setLinger(int seconds) throws IOException;

  /** SO_LINGER as Java reports it, -1 when off. */
  int linger() throws IOException;

  boolean inputShut();

  boolean outputShut();

  /** {@code getInputStream().close()} (or, for a channel, its stream adapter's close). */
  void closeInputStream() throws IOException;

  /** {@code getOutputStream().close()} (or, for a channel, its stream adapter's close). */
  void closeOutputStream() throws IOException;

  /** connect() again to the same peer, on this already used socket. */
  void connectAgain() throws IOException;

  /**
   * Waits up to {@code millis} for the Selector to report the channel readable (registered
   * channels only; others throw).
   */
  boolean awaitReadable(long millis) throws IOException;

  /** A Selector pass for a registered channel (where the JDK's deferred close happens); else nothing. */
  void select() throws IOException;

  /** The teardown call {@code close()}. */
  void close() throws IOException;

  /** Frees everything the fixture opened (channel, selector), whatever state it is in. */
  void release() throws IOException;
}
