package io.teardownguard.conformance.peer;

import java.net.InetSocketAddress;

/** {@code "ip:port"}, the one way addresses cross the peer's pipe and appear in captures. */
public final class Addresses {
  private Addresses() {}

  public static String format(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  public static InetSocketAddress parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not ip:port: " + text);
    }
    return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
  }
}
