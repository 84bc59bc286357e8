package io.teardownguard.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listeners a process already has when the agent starts, from /proc. */
final class ListeningSocketsTest {
  @TempDir
  Path proc;

  @Test
  void findsThisProcesssListenersAndNotItsConnections() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
        Socket accepted = listener.accept()) {
      List<Integer> ports = new ArrayList<>();
      ListeningSockets.learn(Path.of("/proc"), ports::add);
      assertTrue(ports.contains(listener.getLocalPort()), ports.toString());
      assertTrue(!ports.contains(client.getLocalPort()), ports.toString());
    }
  }

  @Test
  void onlyListenersWhoseSocketIsOneOfOurDescriptors() throws Exception {
    Files.createDirectories(proc.resolve("self/fd"));
    Files.createDirectories(proc.resolve("self/net"));
    Files.createSymbolicLink(proc.resolve("self/fd/5"), Path.of("socket:[4242]"));
    Files.createSymbolicLink(proc.resolve("self/fd/6"), Path.of("socket:[4343]"));
    Files.createSymbolicLink(proc.resolve("self/fd/7"), Path.of("/dev/null"));
    Files.writeString(proc.resolve("self/net/tcp"), String.join("\n",
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        // ours, listening on 8080
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1",
        // another process's listener on 9090: same namespace, not our descriptor
        "   1: 0100007F:2382 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5555 1",
        // ours, but an established connection
        "   2: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 4343 1",
        ""));
    List<Integer> ports = new ArrayList<>();
    assertEquals(1, ListeningSockets.learn(proc, ports::add)); // tcp6 absent: skipped
    assertEquals(List.of(8080), ports);
  }
}
