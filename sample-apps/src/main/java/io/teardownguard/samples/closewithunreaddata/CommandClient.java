package io.teardownguard.samples.closewithunreaddata;

import io.teardownguard.samples.support.Drain;
import io.teardownguard.samples.support.Lines;
import io.teardownguard.samples.support.Loopback;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A blocking client of a {@link CommandServer}. It keeps its connection until it is closed,
 * like a pooled connection, so that the server's side alone decides how the connection ends.
 */
final class CommandClient implements Closeable {

  static final int BODY_BYTES = 4096;

  /** A reply line and EOF need far less; the bound only keeps the read loop finite. */
  private static final long MAX_TRAILING_BYTES = 1024;

  private final Socket socket;

  private CommandClient(Socket socket) {
    this.socket = socket;
  }

  static CommandClient connect(int port) throws IOException {
    return new CommandClient(Loopback.connect(port));
  }

  /** Sends header and body in one write, then reads the reply; returns what it saw. */
  String send() throws IOException {
    writeRequest(socket.getOutputStream());
    return readReply(socket.getInputStream());
  }

  /** As {@link #send()}, but shuts the output down after the body: the end of the request. */
  String sendAndShutdownOutput() throws IOException {
    writeRequest(socket.getOutputStream());
    socket.shutdownOutput();
    return readReply(socket.getInputStream());
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** Header and body in one write, so the body is queued at the server when the header is. */
  private static void writeRequest(OutputStream out) throws IOException {
    String header = String.format("PUT %010d\r\n", BODY_BYTES);
    byte[] request = new byte[CommandServer.HEADER_BYTES + BODY_BYTES];
    System.arraycopy(header.getBytes(StandardCharsets.US_ASCII), 0, request, 0,
        CommandServer.HEADER_BYTES);
    out.write(request);
    out.flush();
  }

  private static String readReply(InputStream in) throws IOException {
    String reply = Lines.read(in);
    Drain.toEof(in, MAX_TRAILING_BYTES);
    return "got \"" + reply + "\", then EOF";
  }
}
