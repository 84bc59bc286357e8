package io.teardownguard.samples.serversidetimewait;

import io.teardownguard.samples.support.Drain;
import io.teardownguard.samples.support.Lines;
import io.teardownguard.samples.support.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.Socket;

/** A client of {@link TimeServer}: one connection per request. */
final class TimeClient {

  /** A reply line and EOF need far less; the bound only keeps the read loop finite. */
  private static final long MAX_TRAILING_BYTES = 1024;

  private TimeClient() {}

  /** Asks for the time, reads until the server closes, then closes (second). */
  static String askAndReadToEnd(int port) throws IOException {
    try (Socket socket = Loopback.connect(port)) {
      String reply = ask(socket);
      Drain.toEof(socket.getInputStream(), MAX_TRAILING_BYTES);
      return reply;
    }
  }

  /** Asks for the time and closes as soon as it has the reply line (first). */
  static String askAndClose(int port) throws IOException {
    try (Socket socket = Loopback.connect(port)) {
      return ask(socket);
    }
  }

  private static String ask(Socket socket) throws IOException {
    Lines.write(socket.getOutputStream(), "TIME");
    InputStream in = socket.getInputStream();
    String reply = Lines.read(in);
    if (reply == null) {
      throw new ProtocolException("server closed without a reply");
    }
    return reply;
  }
}
