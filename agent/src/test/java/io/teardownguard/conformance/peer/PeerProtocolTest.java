package io.teardownguard.conformance.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** One Peer call per line, carried out on real loopback sockets, as the peer's JVM does. */
class PeerProtocolTest {

  @Test
  void aCallCrossesAsOneLineAndItsAnswerComesBackTyped() throws Exception {
    try (PeerSockets peer = new PeerSockets(InetAddress.getLoopbackAddress())) {
      Method listen = Peer.class.getMethod("listen", int.class, int.class);
      String answer = PeerProtocol.serve(peer, PeerProtocol.request(listen, new Object[] {50, 0}));
      String address = (String) PeerProtocol.result(listen, answer);
      assertTrue(address.startsWith("127.0.0.1:"), address);

      Method connect = Peer.class.getMethod("connect", String.class, int.class);
      assertEquals(0, PeerProtocol.result(connect, PeerProtocol.serve(peer, "connect\t" + address + "\t0")));
      Method close = Peer.class.getMethod("close", int.class);
      assertEquals(null, PeerProtocol.result(close, PeerProtocol.serve(peer, "close\t0")));
    }
  }

  @Test
  void whatThePeerThrowsComesBackAsAnIoException() throws Exception {
    try (PeerSockets peer = new PeerSockets(InetAddress.getLoopbackAddress())) {
      Method write = Peer.class.getMethod("write", int.class, int.class);
      String answer = PeerProtocol.serve(peer, "write\t7\t1");

      IOException thrown = assertThrows(IOException.class, () -> PeerProtocol.result(write, answer));
      assertTrue(thrown.getMessage().contains("no peer socket 7"), thrown.getMessage());
      assertTrue(PeerProtocol.serve(peer, "explode\t1").startsWith("!\tunknown peer call"));
    }
  }
}
