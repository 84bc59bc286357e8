package io.teardownguard.model.tls;

import io.teardownguard.model.Condition;
import io.teardownguard.model.Finding;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.PeerView;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.WireSegment;
import io.teardownguard.model.rules.Rule;
import io.teardownguard.model.semantics.TeardownModel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code SSLSocket.close()} does (JDK 17 and 25, {@code sun.security.ssl.SSLSocketImpl},
 * identical in both for this path): it sends its closing alerts, then works on the socket beneath
 * through the same {@code java.net.Socket} calls an application would make, and in between it
 * reads and throws away what the peer sent ({@code deplete}: {@code while (available() != 0)
 * skip(available())}). The socket beneath is then predicted by {@link TeardownModel}, call by
 * call, on the socket as each call finds it; the TLS layer adds what it discarded and who could
 * have known.
 *
 * <ul>
 *   <li>TLS 1.3 (and a close during the handshake): user_canceled and close_notify,
 *       {@code shutdownOutput()} (our FIN), {@code deplete}, {@code shutdownInput()}, then
 *       {@code close()}, which finds nothing to drain: {@code NioSocketImpl.available()} is 0 once
 *       the input is shut. ({@code duplexCloseOutput}, {@code bruteForceCloseInput(false)},
 *       {@code closeSocket})
 *   <li>TLS 1.2: close_notify, {@code shutdownOutput()}, then {@code deplete} and {@code close()}
 *       ({@code bruteForceCloseInput(true)} -> {@code shutdown()} -> {@code closeSocket}).
 *   <li>A layered socket without autoClose: the alerts, the TLS 1.3 {@code deplete}, and nothing
 *       on the socket beneath (TLS 1.2 instead waits for the peer's close_notify, {@code
 *       waitForClose}, discarding what comes before it).
 * </ul>
 */
public final class TlsClose {
  /**
   * Records the peer may have sent that carry no application data but end its side: a JDK peer
   * sends user_canceled and close_notify, 40 bytes each on the wire with TLS 1.3's AES-GCM
   * (measured), 31 with TLS 1.2's. A discard up to this size may be those alone.
   */
  public static final long CLOSING_ALERTS_MAX_BYTES = 256;

  private TlsClose() {}

  /**
   * The whole TLS close: the calls on the socket beneath with their wire, what the TLS layer
   * discards, the finding, and the race with the peer's answer.
   *
   * @param beneath the socket beneath as it is at the call, before close_notify goes out
   */
  public static Outcome predict(TlsSnapshot tls, SocketSnapshot beneath) {
    long kernelDiscarded = kernelDiscarded(tls, beneath);
    SocketSnapshot socket = beneath;
    Outcome calls = null;
    List<Finding> closeFindings = new ArrayList<>();
    for (TeardownCall.Op op : callsBeneath(tls, beneath)) {
      if (op == TeardownCall.Op.SHUTDOWN_INPUT || (op == TeardownCall.Op.CLOSE && tls.version() == TlsVersion.TLS_1_2)) {
        socket = socket.withUnreadBytes(socket.unreadBytes() - kernelDiscarded); // deplete ran just before
      }
      Outcome step = TeardownModel.predict(socket, TeardownCall.of(op));
      if (op == TeardownCall.Op.CLOSE) {
        closeFindings.addAll(step.findings()); // a reset by the close(2) beneath is real
      }
      calls = calls == null ? step : calls.followedBy(step);
      socket = after(socket, op, step);
    }
    return withTlsLayer(calls == null ? nothingBeneath(tls, beneath) : calls.withFindings(closeFindings), tls, beneath);
  }

  /**
   * Adds the TLS layer's part to the outcome of the calls on the socket beneath (predicted by the
   * model, or, in the agent, each read just before it ran): the bytes it discarded, its finding
   * first, the race with the peer's answer, and the path it took.
   *
   * @param beneathCalls the calls beneath, with only the close(2)'s findings
   * @param atCall the socket beneath as it was at the call, before close_notify went out
   */
  public static Outcome withTlsLayer(Outcome beneathCalls, TlsSnapshot tls, SocketSnapshot atCall) {
    long kernelDiscarded = kernelDiscarded(tls, atCall);
    List<Finding> findings = new ArrayList<>();
    discardFinding(tls, kernelDiscarded).ifPresent(findings::add);
    boolean resetForAnswer = resetOnlyForPeersAnswer(beneathCalls, atCall);
    for (Finding finding : beneathCalls.findings()) {
      if (!(resetForAnswer && finding.rule() == Rule.CLOSE_WITH_UNREAD_DATA)) {
        findings.add(finding);
      }
    }
    LinkedHashSet<Condition> conditions = new LinkedHashSet<>(beneathCalls.conditions());
    if (racesPeerAnswer(tls, atCall)) {
      conditions.add(Condition.PEER_ANSWERS_CLOSE_NOTIFY);
    }
    List<String> derivation = new ArrayList<>();
    derivation.add("tls: " + path(tls));
    derivation.addAll(beneathCalls.derivation());
    return new Outcome(beneathCalls.syscalls(), beneathCalls.wire(), beneathCalls.wireAtDeregistration(),
        beneathCalls.stateAfter(), beneathCalls.timeWait(),
        beneathCalls.discardedReceiveBytes() + discardedBytes(tls, kernelDiscarded),
        beneathCalls.discardedSendBytes(), 0, beneathCalls.peer(), beneathCalls.onLaterPeerData(),
        beneathCalls.counterDeltas(), beneathCalls.blocksUpToSeconds(), List.copyOf(conditions), findings,
        derivation);
  }

  /**
   * What {@code deplete} reads from the kernel's receive queue: nothing once the socket beneath
   * has its input shut, since {@code NioSocketImpl.available()} then returns 0 without asking the
   * kernel (the bytes stay for the close(2), which resets).
   */
  static long kernelDiscarded(TlsSnapshot tls, SocketSnapshot beneath) {
    return depletes(tls) && !beneath.inputShut() ? beneath.unreadBytes() : 0;
  }

  /**
   * The close(2) beneath reset only for bytes that came in during the TLS close, after our
   * close_notify and FIN were out, and no more than closing alerts: the peer's answer to our
   * close_notify (a JDK peer's close_notify, 40 bytes with TLS 1.3, landing after {@code deplete}
   * and before the close(2), measured in TlsCloseIT). The RST is real and stays in the wire, but
   * it loses nothing: the peer has our close_notify and FIN, its reads end in EOF (SOCK_DONE is
   * set before tcp_reset), and what it sent was only its own end. Bytes the application left
   * unread behind a shutdownInput() are not this: that close still resets for them.
   */
  static boolean resetOnlyForPeersAnswer(Outcome beneathCalls, SocketSnapshot atCall) {
    boolean leftByApplication = atCall.inputShut() && atCall.unreadBytes() > 0;
    long arrived = beneathCalls.discardedReceiveBytes();
    int fin = beneathCalls.allWire().indexOf(WireSegment.FIN);
    int rst = beneathCalls.allWire().indexOf(WireSegment.RST);
    boolean ourFinFirst = atCall.outputShut() || (fin >= 0 && fin < rst);
    return !leftByApplication && arrived > 0 && arrived <= CLOSING_ALERTS_MAX_BYTES && ourFinFirst;
  }

  /** Whether the close reads the receive queue and throws it away before the close(2) beneath. */
  public static boolean depletes(TlsSnapshot tls) {
    if (tls.version() == TlsVersion.TLS_1_2) {
      return tls.closesSocketBeneath() || !tls.inboundClosed(); // closeSocket, or waitForClose
    }
    return !tls.inboundClosed(); // AppInputStream.deplete() returns at once once the input is closed
  }

  /** Bytes the TLS layer throws away: decrypted and unread, a record half read, and what {@code deplete} reads. */
  public static long discardedBytes(TlsSnapshot tls, long kernelDiscarded) {
    return tls.decryptedUnread() + tls.partialRecordBytes() + kernelDiscarded;
  }

  /**
   * {@link Rule#TLS_CLOSE_DISCARDS_DATA} when what the close throws away holds application data:
   * always when decrypted bytes are unread; for records it never decrypts, when they are more than
   * closing alerts could be, and not on a TLS 1.3 client, whose queue may hold the server's
   * NewSessionTicket (a JDK server sends one of about 640 bytes after the handshake, RFC 8446 4.6.1)
   * that the client discards harmlessly: there the content cannot be told without decrypting.
   *
   * @param kernelDiscarded bytes {@code deplete} reads from the kernel's receive queue
   */
  public static Optional<Finding> discardFinding(TlsSnapshot tls, long kernelDiscarded) {
    long records = tls.partialRecordBytes() + kernelDiscarded;
    boolean recordsHoldData = records > CLOSING_ALERTS_MAX_BYTES
        && !(tls.clientMode() && tls.version() == TlsVersion.TLS_1_3);
    if (tls.decryptedUnread() == 0 && !recordsHoldData) {
      return Optional.empty();
    }
    StringBuilder message = new StringBuilder("SSLSocket.close() throws away ");
    if (tls.decryptedUnread() > 0) {
      message.append(tls.decryptedUnread()).append(" decrypted application bytes not yet read");
      if (records > 0) {
        message.append(" and ");
      }
    }
    if (records > 0) {
      message.append(records).append(" bytes of TLS records the peer sent, unread (")
          .append(kernelDiscarded).append(" in the kernel's receive queue, which the close reads and skips");
      if (tls.partialRecordBytes() > 0) {
        message.append(", ").append(tls.partialRecordBytes()).append(" of a record half read");
      }
      message.append(')');
    }
    message.append(": no RST, the peer reads close_notify and EOF and is never told that its data was lost");
    return Optional.of(new Finding(Rule.TLS_CLOSE_DISCARDS_DATA, message.toString()));
  }

  /**
   * Our close_notify and FIN go out while the peer's FIN is not in, and the close reads before it
   * closes the socket beneath: whether the peer's answer lands before or after that close(2) is a
   * race the facts at the call cannot decide.
   */
  public static boolean racesPeerAnswer(TlsSnapshot tls, SocketSnapshot beneath) {
    return tls.closesSocketBeneath() && !beneath.peerOutputShut() && beneath.state() != TcpState.CLOSE
        && beneath.state() != TcpState.TIME_WAIT;
  }

  /** The socket calls the TLS layer makes, in order (see the class comment). */
  static List<TeardownCall.Op> callsBeneath(TlsSnapshot tls, SocketSnapshot beneath) {
    if (!tls.closesSocketBeneath()) {
      return List.of();
    }
    List<TeardownCall.Op> calls = new ArrayList<>(3);
    if (!beneath.outputShut()) {
      calls.add(TeardownCall.Op.SHUTDOWN_OUTPUT);
    }
    if (tls.version() != TlsVersion.TLS_1_2 && !beneath.inputShut()) {
      calls.add(TeardownCall.Op.SHUTDOWN_INPUT);
    }
    calls.add(TeardownCall.Op.CLOSE);
    return calls;
  }

  private static String path(TlsSnapshot tls) {
    String alerts = tls.version() == TlsVersion.TLS_1_2 ? "close_notify" : "user_canceled, close_notify";
    if (!tls.closesSocketBeneath()) {
      return alerts + "; layered without autoClose: the socket beneath stays open"
          + (tls.version() == TlsVersion.TLS_1_2 ? "; waits for the peer's close_notify" : "; deplete");
    }
    return alerts + (tls.version() == TlsVersion.TLS_1_2 ? ", shutdownOutput, deplete, close"
        : ", shutdownOutput, deplete, shutdownInput, close");
  }

  /** The socket beneath once {@code op} has run: its state settled, the direction shut. */
  private static SocketSnapshot after(SocketSnapshot socket, TeardownCall.Op op, Outcome step) {
    SocketSnapshot next = socket.withState(step.stateAfter());
    return switch (op) {
      case SHUTDOWN_OUTPUT -> next.withShut(socket.inputShut(), true);
      case SHUTDOWN_INPUT -> next.withShut(true, socket.outputShut());
      default -> next;
    };
  }

  private static Outcome nothingBeneath(TlsSnapshot tls, SocketSnapshot beneath) {
    boolean waits = waitsForPeersCloseNotify(tls, beneath);
    // The close returns once the peer's close_notify is in; its FIN comes with it (RFC 5246 7.2.1).
    TcpState after = waits && beneath.state() == TcpState.ESTABLISHED ? TcpState.CLOSE_WAIT : beneath.state();
    return new Outcome(List.of(), List.of(), List.of(), after, null, 0, 0, 0,
        new PeerView(PeerView.PeerRead.EOF, PeerView.PeerWrite.ACCEPTED, 0), List.of(), Map.of(), 0,
        waits ? List.of(Condition.PEER_ANSWERS_TLS12_CLOSE_NOTIFY) : List.of(), List.of(),
        List.of("tls: nothing on the socket beneath"));
  }

  /**
   * TLS 1.2 layered without autoClose: {@code bruteForceCloseInput(true)} -> {@code shutdown()} ->
   * {@code closeSocket(true)} -> {@code waitForClose()}, unless the TLS input is closed already or
   * the peer's FIN is in (a TLS peer sends its close_notify before its FIN, so the close finds it in
   * the queue, or meets the end of the stream, and returns at once).
   */
  static boolean waitsForPeersCloseNotify(TlsSnapshot tls, SocketSnapshot beneath) {
    return tls.version() == TlsVersion.TLS_1_2 && !tls.closesSocketBeneath() && !tls.inboundClosed()
        && !beneath.peerOutputShut();
  }
}
