package io.teardownguard.samples.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * Line-based I/O that reads byte by byte, so nothing past the line is taken from the socket:
 * what the program has not read stays in the kernel's receive queue, where it decides whether
 * a close sends FIN or RST.
 */
public final class Lines {

  private static final int MAX_LINE_BYTES = 1024;

  private Lines() {}

  /** The next line without its CR LF or LF, or null at end of stream. */
  public static String read(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int count = 0; count < MAX_LINE_BYTES; count++) {
      int b = in.read();
      if (b < 0) {
        return count == 0 ? null : line.toString(StandardCharsets.US_ASCII);
      }
      if (b == '\n') {
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    throw new ProtocolException("line longer than " + MAX_LINE_BYTES + " bytes");
  }

  /** Writes {@code text} and CR LF in one write. */
  public static void write(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
