package io.teardownguard.samples.senddatadiscarded;

import io.teardownguard.samples.support.Drain;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/** A client that uploads one payload to a {@link DropServer}. */
final class PayloadSender {

  static final int PAYLOAD_BYTES = 1024 * 1024;

  /** More than the greeting; reading stops at EOF long before this. */
  private static final long MAX_REPLY_BYTES = 64 * 1024;

  private PayloadSender() {}

  /**
   * Unsafe: writes the payload and closes, never having read the server's greeting. The unread
   * greeting turns the close into RST ({@code __tcp_close()}), and the RST throws away the part
   * of the payload the server has not yet acknowledged ({@code tcp_write_queue_purge()}): the
   * write "succeeded", yet the server never gets most of the data.
   */
  static void sendAndClose(Socket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(new byte[PAYLOAD_BYTES]);
    out.flush();
    socket.close();
  }

  /**
   * Safe: writes the payload, sends FIN behind it with {@code shutdownOutput()}, then reads until
   * the server closes (consuming the greeting), and closes: the server's EOF comes after the last
   * payload byte, so the server has it all.
   */
  static void sendAndAwaitServerClose(Socket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(new byte[PAYLOAD_BYTES]);
    out.flush();
    socket.shutdownOutput();
    Drain.toEof(socket.getInputStream(), MAX_REPLY_BYTES);
    socket.close();
  }
}
