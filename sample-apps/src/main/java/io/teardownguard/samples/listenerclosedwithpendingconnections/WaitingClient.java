package io.teardownguard.samples.listenerclosedwithpendingconnections;

import io.teardownguard.samples.support.Drain;
import io.teardownguard.samples.support.Lines;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/** A client that has connected and waits for the server's greeting. */
final class WaitingClient {

  /** A greeting line and EOF need far less; the bound only keeps the read loop finite. */
  private static final long MAX_TRAILING_BYTES = 1024;

  private WaitingClient() {}

  /** Reads the greeting and then to EOF, closes, and returns what it saw. */
  static String awaitGreeting(Socket socket) throws IOException {
    try (socket) {
      InputStream in = socket.getInputStream();
      String greeting = Lines.read(in);
      Drain.toEof(in, MAX_TRAILING_BYTES);
      return greeting == null ? "EOF" : "\"" + greeting + "\"";
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
