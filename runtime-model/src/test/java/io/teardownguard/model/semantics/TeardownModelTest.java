package io.teardownguard.model.semantics;

import static io.teardownguard.model.TeardownCall.Op.CLOSE;
import static io.teardownguard.model.TeardownCall.Op.SHUTDOWN_INPUT;
import static io.teardownguard.model.TeardownCall.Op.SHUTDOWN_OUTPUT;
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
import io.teardownguard.model.PeerView.PeerWrite;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.TimeWaitHolder;
import io.teardownguard.model.rules.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model's answers for the seed articles' cases, as the conformance suite measured them on the
 * kernel: a change here must be a change the kernel run agrees with.
 */
final class TeardownModelTest {
  private static final int JDK = 17;

  private static SocketSnapshot established(JavaApi api, ChannelMode mode) {
    return SocketSnapshot.connected(api, mode, JDK, TcpState.ESTABLISHED);
  }

  private static Outcome predict(SocketSnapshot snapshot, TeardownCall.Op op) {
    return TeardownModel.predict(snapshot, TeardownCall.of(op));
  }

  private static List<Rule> rules(Outcome outcome) {
    return outcome.findings().stream().map(Finding::rule).toList();
  }

  @Test
  void socketCloseWithUnreadDataSendsFinThenRstAndPeerReadsEof() {
    Outcome outcome = predict(established(JavaApi.SOCKET, ChannelMode.BLOCKING).withUnreadBytes(5), CLOSE);

    assertEquals(List.of(FIN, RST), outcome.wire());
    assertEquals(TcpState.CLOSE, outcome.stateAfter());
    assertEquals(TimeWaitHolder.NONE, outcome.timeWait());
    assertEquals(5, outcome.discardedReceiveBytes());
    assertEquals(PeerRead.EOF, outcome.peer().read());
    assertEquals(PeerWrite.FAILS, outcome.peer().write());
    assertEquals(1L, outcome.counterDeltas().get("TcpExt.TCPAbortOnClose"));
    assertEquals(1L, outcome.counterDeltas().get("Tcp.OutRsts"));
    assertEquals(List.of(Rule.CLOSE_WITH_UNREAD_DATA), rules(outcome));
  }

  @Test
  void channelCloseWithUnreadDataSendsBareRstAndPeerSeesReset() {
    Outcome outcome = predict(established(JavaApi.SOCKET_CHANNEL, ChannelMode.BLOCKING).withUnreadBytes(5), CLOSE);

    assertEquals(List.of(RST), outcome.wire());
    assertEquals(PeerRead.RESET, outcome.peer().read());
  }

  @Test
  void asynchronousChannelCloseWithUnreadDataSendsBareRstAtOnce() {
    Outcome outcome = predict(established(JavaApi.ASYNCHRONOUS_SOCKET_CHANNEL, ChannelMode.NON_BLOCKING)
        .withUnreadBytes(90), CLOSE);

    assertEquals(List.of(RST), outcome.wire());
    assertEquals(List.of(), outcome.wireAtDeregistration());
    assertEquals(PeerRead.RESET, outcome.peer().read());
    assertEquals(List.of(Rule.CLOSE_WITH_UNREAD_DATA), rules(outcome));
  }

  @Test
  void asynchronousListenerCloseResetsEveryQueuedConnection() {
    Outcome outcome = predict(SocketSnapshot.listener(JavaApi.ASYNCHRONOUS_SERVER_SOCKET_CHANNEL,
        ChannelMode.NON_BLOCKING, JDK, 2), CLOSE);

    assertEquals(List.of(RST, RST), outcome.wire());
    assertEquals(2, outcome.pendingConnectionsReset());
    assertEquals(List.of(Rule.LISTENER_CLOSED_WITH_PENDING_CONNECTIONS), rules(outcome));
  }

  @Test
  void registeredChannelCloseSendsFinNowAndRstWhenTheSelectorDeregisters() {
    Outcome outcome = predict(established(JavaApi.SOCKET_CHANNEL, ChannelMode.REGISTERED).withUnreadBytes(5), CLOSE);

    assertEquals(List.of(FIN), outcome.wire());
    assertEquals(List.of(RST), outcome.wireAtDeregistration());
    assertTrue(outcome.conditions().contains(Condition.SELECTOR_SELECTS));
    assertEquals(List.of(Rule.CLOSE_WITH_UNREAD_DATA), rules(outcome));
  }

  @Test
  void drainedCloseIsOrderlyAndTheCloserHoldsTimeWait() {
    Outcome outcome = predict(established(JavaApi.SOCKET, ChannelMode.BLOCKING), CLOSE);

    assertEquals(List.of(FIN), outcome.wire());
    assertEquals(TcpState.FIN_WAIT2, outcome.stateAfter());
    assertEquals(TimeWaitHolder.LOCAL, outcome.timeWait());
    assertEquals(List.of(RST), outcome.onLaterPeerData());
    assertEquals(PeerWrite.RESET_THEN_FAILS, outcome.peer().write());
    assertEquals(List.of(), outcome.findings());
  }

  @Test
  void closingAfterThePeerClosedLeavesTimeWaitToThePeer() {
    SocketSnapshot closeWait = SocketSnapshot.connected(JavaApi.SOCKET, ChannelMode.BLOCKING, JDK, TcpState.CLOSE_WAIT);

    Outcome outcome = predict(closeWait, CLOSE);

    assertEquals(List.of(FIN), outcome.wire());
    assertEquals(TcpState.CLOSE, outcome.stateAfter());
    assertEquals(TimeWaitHolder.PEER, outcome.timeWait());
  }

  @Test
  void zeroLingerResetsDiscardsTheSendQueueAndSkipsTimeWait() {
    SocketSnapshot snapshot = established(JavaApi.SOCKET, ChannelMode.BLOCKING).withLinger(0).withUnsentBytes(70_000);

    Outcome outcome = predict(snapshot, CLOSE);

    assertEquals(List.of(RST), outcome.wire());
    assertEquals(70_000, outcome.discardedSendBytes());
    assertEquals(70_000, outcome.peer().bytesNeverDelivered());
    assertEquals(TimeWaitHolder.NONE, outcome.timeWait());
    assertEquals(1L, outcome.counterDeltas().get("TcpExt.TCPAbortOnData"));
    assertEquals(List.of(Rule.SEND_DATA_DISCARDED, Rule.ABORTIVE_CLOSE), rules(outcome));
  }

  @Test
  void zeroLingerDoesNotAffectShutdown() {
    Outcome outcome = predict(established(JavaApi.SOCKET, ChannelMode.BLOCKING).withLinger(0), SHUTDOWN_OUTPUT);

    assertEquals(List.of(FIN), outcome.wire());
  }

  @Test
  void positiveLingerBlocksWhileTheFinWaitsBehindUnsentDataAndDoesNotReset() {
    SocketSnapshot snapshot = established(JavaApi.SOCKET_CHANNEL, ChannelMode.NON_BLOCKING).withLinger(1).withUnsentBytes(100_000);

    Outcome outcome = predict(snapshot, CLOSE);

    assertEquals(List.of(), outcome.wire());
    assertEquals(1, outcome.blocksUpToSeconds());
    assertEquals(0, outcome.discardedSendBytes());
    assertEquals(PeerRead.EOF, outcome.peer().read());
    assertTrue(rules(outcome).contains(Rule.BLOCKING_LINGER_CLOSE));
  }

  @Test
  void bytesInFlightOnALinkNeitherHoldTheFinNorGetLost() {
    for (JavaApi api : List.of(JavaApi.SOCKET, JavaApi.SOCKET_CHANNEL)) {
      Outcome outcome = predict(established(api, ChannelMode.BLOCKING).withInFlightBytes(20_000), CLOSE);

      assertEquals(List.of(FIN), outcome.wire(), api.toString());
      assertEquals(TcpState.FIN_WAIT2, outcome.stateAfter(), api.toString());
      assertEquals(0, outcome.blocksUpToSeconds(), api.toString());
      assertEquals(0, outcome.peer().bytesNeverDelivered(), api.toString());
      assertEquals(PeerRead.EOF, outcome.peer().read(), api.toString());
      assertEquals(TimeWaitHolder.LOCAL, outcome.timeWait(), api.toString());
    }
  }

  @Test
  void positiveLingerWaitsForBytesInFlightOnALinkThenTheOrphanDeliversThem() {
    // JDK 17's Socket shuts output before close(2): the close finds its FIN still behind the bytes.
    for (JavaApi api : List.of(JavaApi.SOCKET, JavaApi.SOCKET_CHANNEL)) {
      SocketSnapshot snapshot = established(api, ChannelMode.BLOCKING).withLinger(1).withInFlightBytes(150_000);

      Outcome outcome = predict(snapshot, CLOSE);

      assertEquals(1, outcome.blocksUpToSeconds(), api.toString());
      assertEquals(List.of(FIN), outcome.wire(), api.toString());
      assertEquals(TcpState.FIN_WAIT2, outcome.stateAfter(), api.toString());
      assertEquals(0, outcome.peer().bytesNeverDelivered(), api.toString());
    }
  }

  @Test
  void zeroLingerWithBytesInFlightResetsOnceAndTheClosedSocketAnswersThePeersAcks() {
    // Measured over the veth link: one [R.] of ours, then one bare [R] per ACK of the peer's.
    for (JavaApi api : List.of(JavaApi.SOCKET, JavaApi.SOCKET_CHANNEL)) {
      SocketSnapshot snapshot = established(api, ChannelMode.BLOCKING).withLinger(0).withInFlightBytes(8_000);

      Outcome outcome = predict(snapshot, CLOSE);

      assertEquals(List.of(RST), outcome.wire(), api.toString());
      assertEquals(1L, outcome.counterDeltas().get("Tcp.OutRsts"), api.toString());
      assertEquals(0, outcome.peer().bytesNeverDelivered(), api.toString());
      assertEquals(PeerRead.RESET, outcome.peer().read(), api.toString());
      assertTrue(outcome.conditions().contains(Condition.PEER_ACKS_BYTES_IN_FLIGHT), api.toString());
    }
  }

  @Test
  void nothingInFlightOrNoResetNamesNoAcknowledgementsToAnswer() {
    SocketSnapshot idle = established(JavaApi.SOCKET, ChannelMode.BLOCKING).withLinger(0);
    SocketSnapshot inFlight = established(JavaApi.SOCKET, ChannelMode.BLOCKING).withInFlightBytes(8_000);

    assertFalse(predict(idle, CLOSE).conditions().contains(Condition.PEER_ACKS_BYTES_IN_FLIGHT));
    assertFalse(predict(inFlight, CLOSE).conditions().contains(Condition.PEER_ACKS_BYTES_IN_FLIGHT));
  }

  @Test
  void shutdownOutputWithBytesInFlightSendsItsFinOnceTheLinkHasCarriedThem() {
    Outcome outcome = predict(established(JavaApi.SOCKET, ChannelMode.BLOCKING).withInFlightBytes(20_000), SHUTDOWN_OUTPUT);

    assertEquals(List.of(FIN), outcome.wire());
    assertEquals(TcpState.FIN_WAIT2, outcome.stateAfter());
    assertEquals(0, outcome.blocksUpToSeconds());
  }

  @Test
  void registeredChannelNeverBlocksBecauseTheJdkTurnsLingerOff() {
    SocketSnapshot snapshot = established(JavaApi.SOCKET_CHANNEL, ChannelMode.REGISTERED).withLinger(1).withUnsentBytes(100_000);

    Outcome outcome = predict(snapshot, CLOSE);

    assertEquals(0, outcome.blocksUpToSeconds());
    assertEquals("SET_LINGER(off)", outcome.syscalls().get(0).toString());
  }

  @Test
  void unreadDataResetsEvenWithLingerAndTheQueuedFinNeverLeaves() {
    SocketSnapshot snapshot = established(JavaApi.SOCKET, ChannelMode.BLOCKING)
        .withUnreadBytes(13).withUnsentBytes(150_000).withLinger(5);

    Outcome outcome = predict(snapshot, CLOSE);

    assertEquals(List.of(RST), outcome.wire());
    assertEquals(0, outcome.blocksUpToSeconds());
    assertEquals(PeerRead.RESET, outcome.peer().read());
    assertEquals(150_000, outcome.peer().bytesNeverDelivered());
  }

  @Test
  void shutdownInputThenOutputMakesLaterPeerDataReset() {
    SocketSnapshot inputShut = established(JavaApi.SOCKET, ChannelMode.BLOCKING).withShut(true, false);

    Outcome outcome = predict(inputShut, SHUTDOWN_OUTPUT);

    assertEquals(List.of(FIN), outcome.wire());
    assertEquals(List.of(RST), outcome.onLaterPeerData());
    assertTrue(rules(outcome).contains(Rule.RESET_ON_DATA_AFTER_SHUTDOWN));
  }

  @Test
  void shutdownInputAloneKeepsTheConnectionButHidesData() {
    Outcome outcome = predict(established(JavaApi.SOCKET, ChannelMode.BLOCKING).withUnreadBytes(5), SHUTDOWN_INPUT);

    assertEquals(List.of(), outcome.wire());
    assertEquals(TcpState.ESTABLISHED, outcome.stateAfter());
    assertEquals(List.of(), outcome.onLaterPeerData());
    assertEquals(List.of(Rule.SHUTDOWN_INPUT_HIDES_DATA), rules(outcome));
  }

  @Test
  void closeAfterBothFinsSendsNothingDespiteUnreadData() {
    SocketSnapshot timeWait = SocketSnapshot.connected(JavaApi.SOCKET, ChannelMode.BLOCKING, JDK, TcpState.TIME_WAIT)
        .withShut(false, true).withPeerOutputShut(true).withUnreadBytes(5);

    Outcome outcome = predict(timeWait, CLOSE);

    assertEquals(List.of(), outcome.wire());
    assertEquals(TimeWaitHolder.LOCAL, outcome.timeWait());
  }

  @Test
  void listenerCloseResetsEveryQueuedConnection() {
    Outcome outcome = predict(SocketSnapshot.listener(JavaApi.SERVER_SOCKET, ChannelMode.BLOCKING, JDK, 3), CLOSE);

    assertEquals(List.of(RST, RST, RST), outcome.wire());
    assertEquals(3, outcome.pendingConnectionsReset());
    assertEquals(3L, outcome.counterDeltas().get("Tcp.OutRsts"));
    assertEquals(TimeWaitHolder.NONE, outcome.timeWait());
    assertEquals(List.of(Rule.LISTENER_CLOSED_WITH_PENDING_CONNECTIONS), rules(outcome));
    assertEquals("listenerClose", TeardownCall.of(CLOSE).reportName(
        SocketSnapshot.listener(JavaApi.SERVER_SOCKET, ChannelMode.BLOCKING, JDK, 3)));
  }

  @Test
  void closingAConnectingSocketDropsTheAttemptSilently() {
    SocketSnapshot connecting = new SocketSnapshot(JavaApi.SOCKET, ChannelMode.BLOCKING, JDK, TcpState.SYN_SENT,
        false, 0, 0, false, false, false, -1, 0);

    Outcome outcome = predict(connecting, CLOSE);

    assertEquals(List.of(), outcome.wire());
    assertEquals(TcpState.CLOSE, outcome.stateAfter());
  }

  @Test
  void shutdownOfAnUnconnectedSocketIsRefusedByTheJdk() {
    SocketSnapshot connecting = new SocketSnapshot(JavaApi.SOCKET_CHANNEL, ChannelMode.NON_BLOCKING, JDK,
        TcpState.SYN_SENT, false, 0, 0, false, false, false, -1, 0);

    Outcome outcome = predict(connecting, SHUTDOWN_OUTPUT);

    assertEquals(List.of(), outcome.syscalls());
    assertEquals(TcpState.SYN_SENT, outcome.stateAfter());
  }
}
