package io.teardownguard.conformance;

import io.teardownguard.model.PeerView.PeerRead;
import io.teardownguard.model.PeerView.PeerWrite;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.function.LongConsumer;

/**
 * What the peer's program observes, in the model's terms. A reset is recognised by the JDK's own
 * message ("Connection reset" is a literal in NioSocketImpl, not a localised strerror), write
 * failures by their exception alone.
 */
final class PeerProgram {
  private static final String OUTPUT_ALREADY_SHUT = "Socket output is already shutdown";

  private PeerProgram() {}

  /** Reads until EOF, a reset, or {@code quietMillis} without data; reports the bytes it got. */
  static String readToEnd(Socket peer, long quietMillis, LongConsumer received) {
    byte[] buffer = new byte[65536];
    try {
      peer.setSoTimeout((int) quietMillis);
      while (true) {
        int n = peer.getInputStream().read(buffer);
        if (n < 0) {
          return PeerRead.EOF.name();
        }
        received.accept(n);
      }
    } catch (SocketTimeoutException e) {
      return PeerRead.UNCHANGED.name();
    } catch (SocketException e) {
      return "Connection reset".equals(e.getMessage()) ? PeerRead.RESET.name() : "threw " + e;
    } catch (IOException e) {
      return "threw " + e;
    }
  }

  /** Writes one byte: "ok", "output shut" or "failed". */
  static String writeOne(Socket peer) {
    try {
      peer.getOutputStream().write(1);
      return "ok";
    } catch (SocketException e) {
      return OUTPUT_ALREADY_SHUT.equals(e.getMessage()) ? "output shut" : "failed";
    } catch (IOException e) {
      return "failed";
    }
  }

  static String classifyWrites(String first, String second) {
    if (first.equals("output shut")) {
      return PeerWrite.PEER_OUTPUT_SHUT.name();
    }
    if (first.equals("failed")) {
      return PeerWrite.FAILS.name();
    }
    return second.equals("ok") ? PeerWrite.ACCEPTED.name() : PeerWrite.RESET_THEN_FAILS.name();
  }

  /** A new connection attempt: "refused" or "connected". */
  static String connect(InetSocketAddress address) throws IOException {
    try (Socket probe = new Socket()) {
      probe.connect(address, 2_000);
      return "connected";
    } catch (ConnectException e) {
      return "refused";
    }
  }
}
