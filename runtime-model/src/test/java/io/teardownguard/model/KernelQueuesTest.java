package io.teardownguard.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which unsent bytes hold a FIN back: only those the peer's window holds back (tcp_snd_wnd_test). */
class KernelQueuesTest {

  @Test
  void nothingUnsentHoldsNothingHoweverMuchIsInFlight() {
    assertEquals(0, KernelQueues.heldByWindow(0, 80, 0));
  }

  @Test
  void bytesHeldOnlyByNagleLeaveWithTheFin() {
    // TLS alerts behind an unacknowledged record: Nagle waits, the window is wide open.
    assertEquals(0, KernelQueues.heldByWindow(80, 138, 65_536));
  }

  @Test
  void bytesBeyondThePeersWindowHoldTheFin() {
    assertEquals(70_000, KernelQueues.heldByWindow(70_000, 4_096, 0));
    assertEquals(3_000, KernelQueues.heldByWindow(3_000, 62_000, 64_000));
  }

  @Test
  void withoutTheWindowEveryUnsentByteCounts() {
    assertEquals(80, KernelQueues.heldByWindow(80, KernelQueues.UNKNOWN, KernelQueues.UNKNOWN));
    assertEquals(80, KernelQueues.heldByWindow(80, 138, KernelQueues.UNKNOWN));
  }
}
