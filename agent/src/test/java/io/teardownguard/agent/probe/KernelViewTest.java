package io.teardownguard.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.teardownguard.model.TcpState;
import org.junit.jupiter.api.Test;

/** Which unsent bytes hold a FIN back: only those the peer's window holds back (tcp_snd_wnd_test). */
class KernelViewTest {

  private static KernelView sendQueue(long notSent, long unacked, long window) {
    return new KernelView(TcpState.ESTABLISHED, 0, notSent, unacked, window, 0, -1);
  }

  @Test
  void nothingUnsentHoldsNothingHoweverMuchIsInFlight() {
    assertEquals(0, sendQueue(0, 80, 0).heldByWindow());
  }

  @Test
  void bytesHeldOnlyByNagleLeaveWithTheFin() {
    // A small TLS alert behind an unacknowledged record: Nagle waits, the window is wide open.
    assertEquals(0, sendQueue(80, 138, 65_483).heldByWindow());
  }

  @Test
  void bytesBeyondThePeersWindowHoldTheFin() {
    assertEquals(70_000, sendQueue(70_000, 4_096, 0).heldByWindow());
    assertEquals(3_000, sendQueue(3_000, 62_000, 64_000).heldByWindow());
  }

  @Test
  void withoutTheWindowEveryUnsentByteCounts() {
    assertEquals(80, sendQueue(80, KernelView.UNKNOWN, KernelView.UNKNOWN).heldByWindow());
    assertEquals(80, sendQueue(80, 138, KernelView.UNKNOWN).heldByWindow());
  }
}
