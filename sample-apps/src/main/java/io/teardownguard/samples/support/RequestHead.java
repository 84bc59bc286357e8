package io.teardownguard.samples.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.util.Locale;

/**
 * The head of an HTTP/1.1 request: request line and Content-Length. Read line by line through
 * {@link Lines}, so not one body byte is consumed: the body stays in the kernel's receive queue,
 * as it does in a server that decides from the head alone.
 *
 * @param requestLine for example {@code POST /upload HTTP/1.1}
 * @param contentLength the declared body length, 0 when absent
 */
public record RequestHead(String requestLine, long contentLength) {

  private static final int MAX_HEADER_LINES = 64;
  private static final String CONTENT_LENGTH = "content-length:";

  /** Reads the head up to and including the empty line that ends it. */
  public static RequestHead read(InputStream in) throws IOException {
    String requestLine = Lines.read(in);
    if (requestLine == null) {
      throw new ProtocolException("connection closed before the request line");
    }
    long contentLength = 0;
    for (int count = 0; count < MAX_HEADER_LINES; count++) {
      String line = Lines.read(in);
      if (line == null) {
        throw new ProtocolException("connection closed inside the request head");
      }
      if (line.isEmpty()) {
        return new RequestHead(requestLine, contentLength);
      }
      if (line.toLowerCase(Locale.ROOT).startsWith(CONTENT_LENGTH)) {
        contentLength = Long.parseLong(line.substring(CONTENT_LENGTH.length()).trim());
      }
    }
    throw new ProtocolException("more than " + MAX_HEADER_LINES + " header lines");
  }
}
