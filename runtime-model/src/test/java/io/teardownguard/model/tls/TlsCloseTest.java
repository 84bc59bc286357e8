package io.teardownguard.model.tls;

import static io.teardownguard.model.WireSegment.FIN;
import static io.teardownguard.model.WireSegment.RST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.Condition;
import io.teardownguard.model.Finding;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.PeerView.PeerRead;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.rules.Rule;
import io.teardownguard.model.semantics.TeardownModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The TLS close as measured under tcpdump on loopback (JDK 17 and 25; docs/semantics.md section 10). */
final class TlsCloseTest {
  /** The case: 100 bytes read, a 5,000-byte record (5,038 on the wire) left in the kernel. */
  private static final long RECORD_OF_5000 = 5_038;

  private static SocketSnapshot established(long unread) {
    return SocketSnapshot.connected(JavaApi.SOCKET, ChannelMode.BLOCKING, 17, TcpState.ESTABLISHED)
        .withUnreadBytes(unread);
  }

  private static TlsSnapshot server(TlsVersion version, long decrypted) {
    return new TlsSnapshot(version, false, false, false, false, decrypted, 0);
  }

  private static List<Rule> rules(Outcome outcome) {
    return outcome.findings().stream().map(Finding::rule).toList();
  }

  @Test
  void serverCloseWithARecordInTheKernelDiscardsItSilently() {
    for (TlsVersion version : List.of(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2)) {
      Outcome outcome = TlsClose.predict(server(version, 0), established(RECORD_OF_5000));
      assertEquals(List.of(FIN), outcome.wire(), version.name());
      assertEquals(List.of(Rule.TLS_CLOSE_DISCARDS_DATA), rules(outcome), version.name());
      assertEquals(RECORD_OF_5000, outcome.discardedReceiveBytes());
      assertEquals(PeerRead.EOF, outcome.peer().read());
      assertTrue(outcome.findings().get(0).message().contains("5038 in the kernel"), outcome.findings().get(0).message());
    }
  }

  @Test
  void decryptedBytesNotReadAreAlwaysApplicationData() {
    Outcome outcome = TlsClose.predict(new TlsSnapshot(TlsVersion.TLS_1_3, true, false, false, false, 12, 0),
        established(0));
    assertEquals(List.of(Rule.TLS_CLOSE_DISCARDS_DATA), rules(outcome));
    assertEquals(12, outcome.discardedReceiveBytes());
  }

  @Test
  void cleanCloseHasNoFinding() {
    Outcome outcome = TlsClose.predict(server(TlsVersion.TLS_1_3, 0), established(0));
    assertEquals(List.of(FIN), outcome.wire());
    assertEquals(List.of(), outcome.findings());
    assertTrue(outcome.conditions().contains(Condition.PEER_ANSWERS_CLOSE_NOTIFY));
  }

  @Test
  void closingAlertsAloneAreNotApplicationData() {
    Outcome outcome = TlsClose.predict(server(TlsVersion.TLS_1_3, 0), established(80).withPeerOutputShut(true)
        .withState(TcpState.CLOSE_WAIT));
    assertEquals(List.of(), outcome.findings());
    assertFalse(outcome.conditions().contains(Condition.PEER_ANSWERS_CLOSE_NOTIFY));
  }

  @Test
  void aTls13ClientsQueueMayHoldOnlyTheSessionTicket() {
    Outcome outcome = TlsClose.predict(new TlsSnapshot(TlsVersion.TLS_1_3, true, false, false, false, 0, 0),
        established(644));
    assertEquals(List.of(), outcome.findings());
    assertEquals(644, outcome.discardedReceiveBytes());
  }

  @Test
  void layeredWithoutAutoCloseLeavesTheSocketBeneathAlone() {
    Outcome outcome = TlsClose.predict(new TlsSnapshot(TlsVersion.TLS_1_3, false, true, false, false, 0, 0),
        established(RECORD_OF_5000));
    assertEquals(List.of(), outcome.wire());
    assertEquals(List.of(), outcome.syscalls());
    assertEquals(List.of(Rule.TLS_CLOSE_DISCARDS_DATA), rules(outcome));
  }

  @Test
  void layeredTls12WithoutAutoCloseWaitsForThePeersCloseNotifyWhichComesWithItsFin() {
    // tls-layered-close-waits-for-peer: the JDK peer answers close_notify with close_notify and FIN.
    Outcome outcome = TlsClose.predict(new TlsSnapshot(TlsVersion.TLS_1_2, false, true, false, false, 0, 0),
        established(RECORD_OF_5000));
    assertEquals(List.of(), outcome.wire());
    assertEquals(TcpState.CLOSE_WAIT, outcome.stateAfter());
    assertEquals(List.of(Condition.PEER_ANSWERS_TLS12_CLOSE_NOTIFY), outcome.conditions());
    assertEquals(List.of(Rule.TLS_CLOSE_DISCARDS_DATA), rules(outcome));
  }

  @Test
  void layeredCloseThatDoesNotWaitLeavesTheSocketBeneathAsItWas() {
    // TLS 1.3 depletes and returns; TLS 1.2 finds the peer's close_notify in already (its FIN is in).
    Outcome tls13 = TlsClose.predict(new TlsSnapshot(TlsVersion.TLS_1_3, false, true, false, false, 0, 0),
        established(RECORD_OF_5000));
    Outcome tls12PeerShut = TlsClose.predict(new TlsSnapshot(TlsVersion.TLS_1_2, false, true, false, false, 0, 0),
        SocketSnapshot.connected(JavaApi.SOCKET, ChannelMode.BLOCKING, 17, TcpState.CLOSE_WAIT)
            .withUnreadBytes(RECORD_OF_5000));
    assertEquals(TcpState.ESTABLISHED, tls13.stateAfter());
    assertEquals(TcpState.CLOSE_WAIT, tls12PeerShut.stateAfter());
    assertFalse(tls13.conditions().contains(Condition.PEER_ANSWERS_TLS12_CLOSE_NOTIFY));
    assertFalse(tls12PeerShut.conditions().contains(Condition.PEER_ANSWERS_TLS12_CLOSE_NOTIFY));
  }

  @Test
  void inputShutBeforehandLeavesTheQueueToTheKernelWhichResets() {
    // SSLSocket.shutdownInput() closed the TLS input and the socket's: deplete reads nothing, close(2) resets.
    Outcome outcome = TlsClose.predict(new TlsSnapshot(TlsVersion.TLS_1_3, false, false, false, true, 0, 0),
        established(RECORD_OF_5000).withShut(true, false));
    assertEquals(List.of(FIN, RST), outcome.wire());
    assertEquals(List.of(Rule.CLOSE_WITH_UNREAD_DATA), rules(outcome));
  }

  /**
   * The agent's path: each call beneath read as it ran. The peer's close_notify (40 bytes with
   * TLS 1.3) lands after deplete and before the close(2): that close resets (the RST is on the
   * wire), but it loses nothing the peer meant to say, so it is no finding (TlsCloseIT's race).
   */
  @Test
  void thePeersAnswerLandingBeforeTheCloseBeneathResetsWithoutAFinding() {
    assertEquals(List.of(FIN, RST), closeBeneathWithLateArrival(40).wire());
    assertEquals(List.of(), closeBeneathWithLateArrival(40).findings());
    assertEquals(List.of(Rule.CLOSE_WITH_UNREAD_DATA), rules(closeBeneathWithLateArrival(300)),
        "more than closing alerts can be application data the reset loses");
  }

  private static Outcome closeBeneathWithLateArrival(long arrived) {
    SocketSnapshot atCall = established(0);
    Outcome shutdown = TeardownModel.predict(atCall, TeardownCall.of(TeardownCall.Op.SHUTDOWN_OUTPUT));
    SocketSnapshot atClose = atCall.withState(TcpState.FIN_WAIT2).withShut(true, true).withUnreadBytes(arrived);
    Outcome close = TeardownModel.predict(atClose, TeardownCall.of(TeardownCall.Op.CLOSE));
    Outcome beneath = shutdown.followedBy(close).withFindings(close.findings());
    return TlsClose.withTlsLayer(beneath, server(TlsVersion.TLS_1_3, 0), atCall);
  }

  /** A closed peer's RST answering our close_notify can beat the FIN of the shutdown the TLS layer makes next. */
  @Test
  void ourFinAfterBytesInFlightToAPeerWhoseFinIsInMayNeverGoOut() {
    SocketSnapshot closeWait = SocketSnapshot.connected(JavaApi.SOCKET, ChannelMode.BLOCKING, 17, TcpState.CLOSE_WAIT)
        .withInFlightBytes(31);
    Outcome outcome = TeardownModel.predict(closeWait, TeardownCall.of(TeardownCall.Op.SHUTDOWN_OUTPUT));
    assertEquals(List.of(FIN), outcome.wire());
    assertTrue(outcome.conditions().contains(Condition.PEER_RESET_BEFORE_FIN), outcome.conditions().toString());
    Outcome acknowledged = TeardownModel.predict(closeWait.withInFlightBytes(0),
        TeardownCall.of(TeardownCall.Op.SHUTDOWN_OUTPUT));
    assertFalse(acknowledged.conditions().contains(Condition.PEER_RESET_BEFORE_FIN));
  }
}
