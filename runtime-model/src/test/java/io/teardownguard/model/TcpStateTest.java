package io.teardownguard.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TcpStateTest {
  /** RFC 9293 section 3.3.2: only a received FIN leads into these four. */
  @Test
  void thePeersFinHasArrivedInCloseWaitLastAckClosingAndTimeWait() {
    Set<TcpState> arrived = EnumSet.noneOf(TcpState.class);
    for (TcpState state : TcpState.values()) {
      if (state.peerFinArrived()) {
        arrived.add(state);
      }
    }
    assertEquals(EnumSet.of(TcpState.CLOSE_WAIT, TcpState.LAST_ACK, TcpState.CLOSING, TcpState.TIME_WAIT), arrived);
  }
}
