package io.teardownguard.conformance.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * The peer's JVM on a link: {@code PeerMain BIND_ADDRESS}, started in the other network namespace.
 * Reads one {@link PeerProtocol} request per line on stdin, answers on stdout, and ends at EOF.
 */
public final class PeerMain {
  private PeerMain() {}

  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (PeerSockets peer = new PeerSockets(InetAddress.getByName(args[0]));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      out.println("ready");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.println(PeerProtocol.serve(peer, line));
      }
    }
  }
}
