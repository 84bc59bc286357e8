package io.teardownguard.it.field;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A small Redis-protocol (RESP2) peer of the test's own for the Redis driver: answers PING with
 * PONG, SET with OK, GET with the empty bulk string, HELLO and anything else with an error (so
 * the driver stays on RESP2), and QUIT with OK then a close. {@code trailing} bytes, if any, follow
 * every PONG, as a confused or pushing server would send: the driver never reads them. Closes a
 * connection after reading its end, like {@link PlainHttpServer}.
 */
final class RespPeer implements AutoCloseable {
  private final String trailing;
  private final ThreadPerConnectionServer server;

  RespPeer(String trailing) throws IOException {
    this.trailing = trailing;
    server = new ThreadPerConnectionServer("resp", this::serve);
  }

  int port() {
    return server.port();
  }

  private void serve(Socket socket) {
    try (socket) {
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      for (List<String> command = read(in); command != null; command = read(in)) {
        String name = command.isEmpty() ? "" : command.get(0).toUpperCase(java.util.Locale.ROOT);
        String reply = switch (name) {
          case "PING" -> "+PONG\r\n" + trailing;
          case "SET" -> "+OK\r\n";
          case "GET" -> "$0\r\n\r\n";
          case "QUIT" -> "+OK\r\n";
          default -> "-ERR unknown command '" + name + "'\r\n";
        };
        out.write(reply.getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (name.equals("QUIT")) {
          return;
        }
      }
    } catch (IOException e) {
      // reset by the driver
    }
  }

  /** One command: an array of bulk strings ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"); null at end of stream. */
  private static List<String> read(BufferedReader in) throws IOException {
    String header = in.readLine();
    if (header == null) {
      return null;
    }
    int count = Integer.parseInt(header.substring(1));
    List<String> arguments = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      in.readLine();
      arguments.add(in.readLine());
    }
    return arguments;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
  }
}
