package io.teardownguard.model.semantics;

import static io.teardownguard.model.WireSegment.FIN;
import static io.teardownguard.model.WireSegment.RST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.Condition;
import io.teardownguard.model.Finding;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.rules.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A registered channel's close in two parts: one FIN at most, and the second part predicted from
 * the socket as the deferred close(2) finds it (the kernel state after close()'s own shutdown).
 */
final class DeferredCloseTest {
  private static final TeardownCall CLOSE = TeardownCall.of(TeardownCall.Op.CLOSE);
  private static final Finding NEVER_RELEASED = new Finding(Rule.CLOSE_DEFERRED_BY_SELECTOR, "never released");

  private static SocketSnapshot channel(ChannelMode mode, TcpState state) {
    return SocketSnapshot.connected(JavaApi.SOCKET_CHANNEL, mode, 17, state);
  }

  private static Outcome closeRegistered(SocketSnapshot atClose) {
    return TeardownModel.predict(atClose, CLOSE);
  }

  @Test
  void releasedAfterOurFinSendsNoSecondFin() {
    Outcome atClose = closeRegistered(channel(ChannelMode.REGISTERED, TcpState.ESTABLISHED));
    // kill() probes FIN_WAIT2; Java's isOutputClosed is still false (the JDK's own shutdown).
    Outcome merged = DeferredClose.released(atClose, channel(ChannelMode.NON_BLOCKING, TcpState.FIN_WAIT2));
    assertEquals(List.of(FIN), merged.allWire());
    assertEquals(List.of(FIN), merged.wire());
  }

  @Test
  void releasedWithAReadTakenBeforeTheShutdownStillSendsOneFin() {
    Outcome atClose = closeRegistered(channel(ChannelMode.REGISTERED, TcpState.ESTABLISHED));
    Outcome merged = DeferredClose.released(atClose, channel(ChannelMode.NON_BLOCKING, TcpState.ESTABLISHED));
    assertEquals(List.of(FIN), merged.allWire());
  }

  @Test
  void dataArrivedBeforeReleaseResetsAfterTheFin() {
    Outcome atClose = closeRegistered(channel(ChannelMode.REGISTERED, TcpState.ESTABLISHED));
    Outcome merged = DeferredClose.released(atClose,
        channel(ChannelMode.NON_BLOCKING, TcpState.FIN_WAIT2).withUnreadBytes(40));
    assertEquals(List.of(FIN, RST), merged.allWire());
    assertEquals(40, merged.discardedReceiveBytes());
    assertEquals(1L, merged.counterDeltas().get("TcpExt.TCPAbortOnClose"));
    assertEquals(Rule.CLOSE_WITH_UNREAD_DATA, merged.findings().get(0).rule());
    // Our FIN is out and the peer's is not in: if it comes before close(2), no RST (tcp_fin, tcp_done).
    assertTrue(merged.conditions().contains(Condition.PEER_FIN_BEFORE_CLOSE));
  }

  @Test
  void anEstablishedCloseWithUnreadDataResetsWhateverThePeerSends() {
    Outcome close = TeardownModel.predict(channel(ChannelMode.BLOCKING, TcpState.ESTABLISHED).withUnreadBytes(40), CLOSE);
    assertEquals(List.of(RST), close.allWire());
    assertFalse(close.conditions().contains(Condition.PEER_FIN_BEFORE_CLOSE));
  }

  @Test
  void dataReadBeforeReleaseIsNoLongerDiscardedOrCountedTwice() {
    Outcome atClose = closeRegistered(channel(ChannelMode.REGISTERED, TcpState.ESTABLISHED).withUnreadBytes(40));
    assertEquals(List.of(FIN, RST), atClose.allWire());
    Outcome merged = DeferredClose.released(atClose, channel(ChannelMode.NON_BLOCKING, TcpState.FIN_WAIT2));
    assertEquals(List.of(FIN), merged.allWire());
    assertEquals(0, merged.discardedReceiveBytes());
    assertEquals(null, merged.counterDeltas().get("TcpExt.TCPAbortOnClose"));
  }

  @Test
  void withoutANewReadThePredictionAtCloseStands() {
    Outcome atClose = closeRegistered(channel(ChannelMode.REGISTERED, TcpState.ESTABLISHED));
    assertSame(atClose, DeferredClose.released(atClose, null));
  }

  @Test
  void closedAtExitSendsOneFinAndCarriesTheFinding() {
    Outcome atClose = closeRegistered(channel(ChannelMode.REGISTERED, TcpState.ESTABLISHED));
    Outcome unread = DeferredClose.closedAtExit(atClose, null, NEVER_RELEASED);
    assertEquals(List.of(FIN), unread.allWire());
    assertEquals(List.of(Rule.CLOSE_DEFERRED_BY_SELECTOR), unread.findings().stream().map(Finding::rule).toList());

    Outcome probed = DeferredClose.closedAtExit(atClose, channel(ChannelMode.NON_BLOCKING, TcpState.FIN_WAIT2), null);
    assertEquals(List.of(FIN), probed.allWire());
    assertEquals(List.of(), probed.findings());
  }

  @Test
  void zeroLingerSendsNothingAtCloseAndResetsAtRelease() {
    Outcome atClose = closeRegistered(channel(ChannelMode.REGISTERED, TcpState.ESTABLISHED).withLinger(0));
    assertEquals(List.of(), atClose.wire());
    Outcome merged = DeferredClose.released(atClose,
        channel(ChannelMode.NON_BLOCKING, TcpState.ESTABLISHED).withLinger(0));
    assertEquals(List.of(RST), merged.allWire());
  }

  @Test
  void peerFinBeforeOurShutdownLeavesLastAckAndNoSecondFin() {
    Outcome atClose = closeRegistered(channel(ChannelMode.REGISTERED, TcpState.CLOSE_WAIT));
    Outcome merged = DeferredClose.released(atClose, channel(ChannelMode.NON_BLOCKING, TcpState.CLOSE_WAIT));
    assertEquals(List.of(FIN), merged.allWire());
  }
}
