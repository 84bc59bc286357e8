package io.teardownguard.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What one churn connection carries, and where. Loopback only: the server listens on 127.0.0.1
 * and clients use 127.0.0.x source addresses, which Linux routes to {@code lo} without setup.
 */
final class ChurnProtocol {
  /** A small request, read completely by the server so its close finds nothing unread. */
  static final int REQUEST_BYTES = 100;
  /** A small response, read by the client to EOF. */
  static final int RESPONSE_BYTES = 200;
  /** Bounds every connect, read and accept wait: a stuck peer fails the run instead of hanging it. */
  static final int TIMEOUT_MILLIS = 10_000;
  /** 127.0.0.2 and up are client source addresses; 127.0.0.255 is left alone. */
  static final int MAX_SOURCES = 253;

  private ChurnProtocol() {}

  static InetAddress serverAddress() {
    return loopback(1);
  }

  /** 127.0.0.{@code lastOctet}. */
  static InetAddress loopback(int lastOctet) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) lastOctet});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // only thrown for a wrong address length
    }
  }
}
