package io.teardownguard.conformance;

import io.teardownguard.agent.core.Observer;
import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.conformance.endpoint.TlsEndpoint;
import io.teardownguard.conformance.kernel.ProcNet;
import io.teardownguard.conformance.kernel.TcpInfo;
import io.teardownguard.conformance.peer.Addresses;
import io.teardownguard.conformance.kernel.WireCapture;
import io.teardownguard.conformance.scenario.Actor;
import io.teardownguard.conformance.scenario.ApiVariant;
import io.teardownguard.conformance.scenario.Scenario;
import io.teardownguard.conformance.scenario.ScenarioException;
import io.teardownguard.conformance.scenario.Step;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.Condition;
import io.teardownguard.model.KernelQueues;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.PeerView.PeerWrite;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.TimeWaitHolder;
import io.teardownguard.model.semantics.TeardownModel;
import io.teardownguard.model.tls.TlsClose;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one scenario with one API variant: carries out the steps on real sockets, asks the model
 * about the call under test with the kernel's view of the socket just before it, and compares the
 * prediction with what the oracles observe.
 */
final class ScenarioRun {
  /** Before the call: time for the peer's kernel to react, short enough to keep data in flight. */
  private static final long STEP_MILLIS = 30;
  private static final long AWAIT_MILLIS = 2_000;
  private static final int FIRST_PEER = 0;
  private static final long PEER_READ_TIMEOUT_MILLIS = 300;
  private static final List<String> COUNTERS = List.of(
      "TcpExt.TCPAbortOnClose", "TcpExt.TCPAbortOnData", "TcpExt.TCPAbortOnLinger", "Tcp.OutRsts");
  private static final String REPLIES_TO_RST = "peer.segmentsAfterRst";
  /**
   * Expected facts that are the scenario's premise, not the model's claim: on the link, bytes
   * written must still be in flight when the call runs (40,000 bytes leave in 625 ms; a CI run at
   * load 23 once took longer than that between the write and the call).
   */
  private static final Set<String> PREMISES = Set.of("call.inFlight");

  private final Scenario scenario;
  private final ApiVariant variant;
  private final Oracles oracles;
  private final Network network;
  /** The agent's path from a socket to a prediction, the one its hooks run. */
  private final Observer observer;
  private final Comparison comparison = new Comparison();
  private final Map<String, String> facts = new LinkedHashMap<>();
  /** Facts whose oracle this run lacks; an 'expect' on them is skipped, not failed. */
  private final Set<String> unobservable = new java.util.HashSet<>();
  private final Set<Condition> given = EnumSet.noneOf(Condition.class);
  private Fixture fixture;
  private Outcome outcome;
  private boolean peerShutOutput;
  private long localWritten;
  private long peerReceived;
  /** tx_queue when the last snapshot was taken: anything written and not yet acknowledged. */
  private long sendQueueAtSnapshot;

  ScenarioRun(Scenario scenario, ApiVariant variant, Oracles oracles, Network network, Observer observer) {
    this.observer = observer;
    this.scenario = scenario;
    this.variant = variant;
    this.oracles = oracles;
    this.network = network;
  }

  Comparison run() {
    try (Fixture opened = Fixture.open(scenario, variant, network)) {
      fixture = opened;
      for (Step step : scenario.steps()) {
        execute(step);
      }
    } catch (IOException | RuntimeException e) {
      comparison.fail("scenario could not run: " + e);
    }
    return comparison;
  }

  private void execute(Step step) throws IOException {
    switch (step.verb()) {
      case "call" -> call(step);
      case "given" -> given.add(Condition.valueOf(step.arg(0)));
      case "check" -> check(step);
      case "expect" -> expect(step);
      default -> {
        if (step.actor() == Actor.LOCAL) {
          localAction(step);
        } else {
          peerAction(step);
        }
      }
    }
    settleBetweenSteps();
  }

  /**
   * Before the call, steps only leave the peer's kernel time to react: on a link the data they
   * wrote must still be in flight when the call runs. From the call on, every step waits until
   * the network has carried what it can.
   */
  private void settleBetweenSteps() throws IOException {
    if (outcome == null) {
      sleep(STEP_MILLIS);
    } else {
      network.settle();
    }
  }

  // ---- the call under test -------------------------------------------------------------

  private void call(Step step) throws IOException {
    TeardownCall call = teardownCall(step);
    Observer.Observation seen = observe(call);
    SocketSnapshot snapshot = seen != null ? seen.snapshot() : procSnapshot();
    outcome = seen != null && !tlsClose(call) ? seen.outcome() : predict(snapshot, call);
    comparison.explain("observedBy", seen != null ? "agent" : "proc");
    facts.put("call.inFlight", sendQueueAtSnapshot > 0 ? "yes" : "no");
    comparison.explain("snapshot", snapshot.toString());
    comparison.explain("local", Addresses.format(ourAddress()));
    comparison.explain("findings", outcome.findings().stream().map(f -> f.ruleId()).toList());
    comparison.explain("derivation", outcome.derivation());

    Map<String, Long> countersBefore = oracles.counters();
    WireCapture.Mark before = oracles.mark();
    long started = System.nanoTime();
    comparison.explain("callStarted", java.time.Instant.now().toString());
    facts.put("call", perform(call));
    comparison.explain("callEnded", java.time.Instant.now().toString());
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    network.settle();
    WireCapture.Mark after = oracles.mark();
    List<String> wireNow = teardownSegments(before, after);
    List<String> wireLater = List.of();
    if (variant.mode() == ChannelMode.REGISTERED && call.closesSocket()) {
      selectAll();
      network.settle();
      WireCapture.Mark deregistered = oracles.mark();
      wireLater = teardownSegments(after, deregistered);
      if (oracles.hasWire()) {
        comparison.compare("wireAtDeregistration", outcome.wireAtDeregistration(), wireLater);
      }
      recordRepliesToRst(before, deregistered);
    } else {
      recordRepliesToRst(before, after);
    }
    if (oracles.hasWire()) {
      comparison.compare("wire", outcome.wire(), wireNow);
      if (variant.api().isListener()) {
        long resets = java.util.stream.Stream.concat(wireNow.stream(), wireLater.stream())
            .filter("RST"::equals).count();
        comparison.compare("pendingConnectionsReset", outcome.pendingConnectionsReset(), resets);
      }
    }
    if (oracles.hasCounters()) {
      Map<String, Long> delta = ProcNet.delta(countersBefore, oracles.counters());
      for (String counter : COUNTERS) {
        comparison.compare("counters." + counter, outcome.counterDeltas().getOrDefault(counter, 0L),
            delta.getOrDefault(counter, 0L));
      }
    }
    comparison.compare("stateAfter", outcome.stateAfter(), stateNow());
    comparison.compare("blocksUpToSeconds", outcome.blocksUpToSeconds(), Math.round(tookMillis / 1000.0));
  }

  /**
   * The model's prediction from the socket as read; an SSLSocket's close goes through its TLS
   * layer first (TlsClose), with the socket beneath as the observer read it.
   */
  private Outcome predict(SocketSnapshot snapshot, TeardownCall call) throws IOException {
    if (tlsClose(call)) {
      return TlsClose.predict(((TlsEndpoint) fixture.local).tlsSnapshot(), snapshot);
    }
    return TeardownModel.predict(snapshot, call);
  }

  private boolean tlsClose(TeardownCall call) {
    return fixture.local instanceof TlsEndpoint && call.closesSocket();
  }

  private void recordRepliesToRst(WireCapture.Mark from, WireCapture.Mark to) {
    if (oracles.hasWire()) {
      facts.put(REPLIES_TO_RST, String.valueOf(peerSegmentsAfterRst(from, to)));
    } else {
      unobservable.add(REPLIES_TO_RST);
    }
  }

  /**
   * Segments any other endpoint sent after this side's first RST (RFC 9293 3.10.7: a RST is never
   * answered); -1 when this side sent no RST or there is no capture.
   */
  private int peerSegmentsAfterRst(WireCapture.Mark from, WireCapture.Mark to) {
    List<WireCapture.Segment> segments = oracles.between(from, to);
    String self = Addresses.format(ourAddress());
    int firstRst = -1;
    for (int i = 0; i < segments.size() && firstRst < 0; i++) {
      if (segments.get(i).source().equals(self) && segments.get(i).has(WireCapture.TcpFlag.RST)) {
        firstRst = i;
      }
    }
    if (firstRst < 0) {
      return -1;
    }
    int replies = 0;
    for (WireCapture.Segment segment : segments.subList(firstRst + 1, segments.size())) {
      if (segment.destination().equals(self)) {
        replies++;
      }
    }
    return replies;
  }

  private TeardownCall teardownCall(Step step) {
    return switch (step.arg(0)) {
      case "close" -> TeardownCall.of(TeardownCall.Op.CLOSE);
      case "close-input-stream" -> TeardownCall.of(TeardownCall.Op.CLOSE_INPUT_STREAM);
      case "close-output-stream" -> TeardownCall.of(TeardownCall.Op.CLOSE_OUTPUT_STREAM);
      case "shutdown-input" -> TeardownCall.of(TeardownCall.Op.SHUTDOWN_INPUT);
      case "shutdown-output" -> TeardownCall.of(TeardownCall.Op.SHUTDOWN_OUTPUT);
      case "linger" -> TeardownCall.setSoLinger(lingerArg(step, 1));
      default -> throw new ScenarioException("line " + step.line() + ": unknown call '" + step.arg(0)
          + "'; accepted: close, close-input-stream, close-output-stream, shutdown-input, shutdown-output, linger N|off");
    };
  }

  private String perform(TeardownCall call) {
    try {
      if (variant.api().isListener()) {
        fixture.listener.close();
        return "ok";
      }
      switch (call.op()) {
        case CLOSE -> fixture.local.close();
        case CLOSE_INPUT_STREAM -> fixture.local.closeInputStream();
        case CLOSE_OUTPUT_STREAM -> fixture.local.closeOutputStream();
        case SHUTDOWN_INPUT -> fixture.local.shutdownInput();
        case SHUTDOWN_OUTPUT -> fixture.local.shutdownOutput();
        case SET_SO_LINGER -> setLinger(call.lingerSeconds());
      }
      return "ok";
    } catch (IOException | RuntimeException e) {
      return "threw " + e.getClass().getSimpleName();
    }
  }

  /**
   * The socket read and predicted by the agent's own path ({@link Observer#observeNow}: the JDK's
   * fields, the probe, the snapshot, the model), or null for a call the JDK refuses (a closed
   * socket, an unconnected channel's shutdown), which the agent does not report either.
   */
  private Observer.Observation observe(TeardownCall call) throws IOException {
    Object socket = variant.api().isListener() ? fixture.listener.socket() : fixture.local.socket();
    try {
      Observer.Observation seen = observer.observeNow(socket, call);
      if (seen != null) {
        KernelView kernel = seen.kernel();
        sendQueueAtSnapshot = kernel == null ? 0 : Math.max(0, kernel.unackedBytes()) + kernel.notSentBytes();
      }
      return seen;
    } catch (Throwable e) {
      throw new IOException("the agent's observer failed: " + e, e);
    }
  }

  /**
   * The connection from /proc/net/tcp by its addresses: what the scenario's awaits wait for (an
   * oracle's view, not a prediction's), and the socket before a call the agent does not observe
   * because the JDK refuses it (the kernel's connection may outlive Java's socket: FIN_WAIT2,
   * TIME_WAIT).
   */
  private SocketSnapshot procSnapshot() throws IOException {
    int jdk = Runtime.version().feature();
    if (variant.api().isListener()) {
      long queued = ProcView.listener(fixture.listener.address()).map(ProcNet.TcpSocket::rxQueue).orElse(0L);
      return SocketSnapshot.listener(variant.api(), variant.mode(), jdk, (int) queued);
    }
    var local = fixture.local;
    var row = ProcView.connection(local.localAddress(), local.remoteAddress());
    TcpState state = row.map(ProcNet.TcpSocket::state).orElse(TcpState.CLOSE);
    boolean peerFin = state.peerFinArrived() || peerShutOutput;
    long rx = row.map(ProcNet.TcpSocket::rxQueue).orElse(0L);
    // rx_queue counts a received FIN as one byte until the application reads end of stream.
    boolean finQueued = peerFin && rx > 0 && state != TcpState.TIME_WAIT;
    long unread = finQueued ? rx - 1 : rx;
    long sendQueue = row.map(ProcNet.TcpSocket::txQueue).orElse(0L);
    sendQueueAtSnapshot = sendQueue;
    long unsent = KernelQueues.unsentPayload(state, network.isLink() ? heldByWindow(sendQueue) : sendQueue);
    long inFlight = KernelQueues.unsentPayload(state, sendQueue) - unsent;
    return new SocketSnapshot(variant.api(), variant.mode(), jdk, state, local.connected(), unread,
        unsent, local.inputShut(), local.outputShut(), peerFin, local.linger(), 0, inFlight);
  }

  /**
   * On a link, the send queue as the agent's probe reads it: only bytes the peer's window holds
   * back keep a FIN waiting ({@link KernelQueues#heldByWindow}); bytes in flight do not. On
   * loopback tx_queue serves: nothing is in flight there, the scenarios hold data back with a zero
   * window, and the two readings agree.
   */
  private long heldByWindow(long sendQueue) throws IOException {
    if (sendQueue == 0) {
      return 0;
    }
    return TcpInfo.read(fixture.local.localAddress().getPort(), fixture.local.remoteAddress().getPort())
        .map(info -> KernelQueues.heldByWindow(info.notSent(), info.unacked(), info.sendWindow()))
        .orElse(sendQueue);
  }

  private TcpState stateNow() throws IOException {
    if (variant.api().isListener()) {
      return ProcView.listener(fixture.listener.address()).isPresent() ? TcpState.LISTEN : TcpState.CLOSE;
    }
    return ProcView.state(fixture.local.localAddress(), fixture.local.remoteAddress());
  }

  /** FIN and RST segments the endpoint (or the listener's port) sent between two marks. */
  private List<String> teardownSegments(WireCapture.Mark from, WireCapture.Mark to) {
    String sourceText = Addresses.format(ourAddress());
    List<String> segments = new ArrayList<>();
    for (WireCapture.Segment segment : oracles.between(from, to)) {
      if (!segment.source().equals(sourceText)) {
        continue;
      }
      if (segment.has(WireCapture.TcpFlag.FIN)) {
        segments.add("FIN");
      }
      if (segment.has(WireCapture.TcpFlag.RST)) {
        segments.add("RST");
      }
    }
    return segments;
  }

  private void selectAll() throws IOException {
    if (variant.api().isListener()) {
      fixture.listener.select();
    } else {
      fixture.local.select();
    }
  }

  // ---- local and peer actions ----------------------------------------------------------

  private void localAction(Step step) throws IOException {
    var local = fixture.local;
    switch (step.verb()) {
      case "write" -> {
        local.write(step.intArg(0));
        localWritten += step.intArg(0);
      }
      case "read" -> readExactly(step.intArg(0));
      case "read-to-end" -> facts.put("local.read", drainLocal());
      case "read-once" -> facts.put("local.read", readOnce());
      case "shutdown-input" -> local.shutdownInput();
      case "shutdown-output" -> local.shutdownOutput();
      case "close" -> local.close();
      case "linger" -> setLinger(lingerArg(step, 0));
      case "select" -> selectAll();
      case "await-unread" -> awaitUnread(step.intArg(0));
      case "await-unread-above" -> awaitUnreadAbove(step.intArg(0));
      case "await-unsent" -> awaitUnsent();
      case "await-in-flight" -> awaitInFlight();
      case "await-state" -> awaitState(TcpState.valueOf(step.arg(0)));
      case "accept" -> fixture.listener.acceptAny();
      case "connect-result" -> facts.put("local.connect", connectResult());
      case "reconnect" -> facts.put("local.reconnect", reconnect());
      case "select-ready" -> facts.put("local.readable", String.valueOf(fixture.local.awaitReadable(AWAIT_MILLIS)));
      case "count-entries" -> facts.put("local.entries", String.valueOf(entriesOnLocalPort()));
      case "read-pending", "accept-pending", "pending-read", "pending-accept" -> AsyncSteps.run(step, fixture, facts);
      default -> throw new ScenarioException("line " + step.line() + ": unknown local action '" + step.verb() + "'");
    }
  }

  private void peerAction(Step step) throws IOException {
    switch (step.verb()) {
      case "connect" -> {
        for (int i = 0; i < step.intArg(0); i++) {
          fixture.connectQueuedPeer();
        }
      }
      case "write" -> fixture.peer.write(FIRST_PEER, step.intArg(0));
      case "read" -> {
        fixture.peer.readExactly(FIRST_PEER, step.intArg(0), (int) AWAIT_MILLIS);
        peerReceived += step.intArg(0);
      }
      case "shutdown-output" -> {
        fixture.peer.shutdownOutput(FIRST_PEER);
        peerShutOutput = true;
      }
      case "close" -> {
        fixture.peer.close(FIRST_PEER);
        peerShutOutput = true;
      }
      case "read-to-end" -> peerReadToEnd();
      case "read-once" -> facts.put("peer.read", peerRead(FIRST_PEER));
      case "linger" -> fixture.peer.linger(FIRST_PEER, step.intArg(0));
      case "write-probe" -> peerWriteProbe();
      case "connect-probe" -> peerConnectProbe();
      default -> throw new ScenarioException("line " + step.line() + ": unknown peer action '" + step.verb() + "'");
    }
  }

  // ---- observations ---------------------------------------------------------------------

  /** Every peer reads until EOF, reset or silence; compared with the model's peer view. */
  private void peerReadToEnd() throws IOException {
    if (outcome == null) {
      throw new ScenarioException("'peer read-to-end' observes the call: put it after 'call'");
    }
    List<String> ends = new ArrayList<>();
    for (int peer = 0; peer < fixture.peerAddresses.size(); peer++) {
      ends.add(peerRead(peer));
    }
    String end = ends.stream().distinct().count() == 1 ? ends.get(0) : String.join(",", ends);
    comparison.compare("peer.read", outcome.peer().read(), end);
    if (!variant.api().isListener()) {
      comparison.compare("peer.bytesNeverDelivered", outcome.peer().bytesNeverDelivered(),
          localWritten - peerReceived);
    }
  }

  /** The peer writes twice; what this side sends in between, and what the writes return. */
  private void peerWriteProbe() throws IOException {
    if (outcome == null) {
      throw new ScenarioException("'peer write-probe' observes the call: put it after 'call'");
    }
    WireCapture.Mark before = oracles.mark();
    String first = fixture.peer.writeOne(FIRST_PEER);
    network.settle();
    WireCapture.Mark after = oracles.mark();
    String second = fixture.peer.writeOne(FIRST_PEER);
    comparison.compare("peer.write", outcome.peer().write(), classifyWrites(first, second));
    if (oracles.hasWire()) {
      comparison.compare("onLaterPeerData", outcome.onLaterPeerData(), teardownSegments(before, after));
    }
  }

  /** A new connection to the closed listener's port: refused with RST. */
  private void peerConnectProbe() throws IOException {
    WireCapture.Mark before = oracles.mark();
    facts.put("peer.connect", fixture.peer.connectProbe(Addresses.format(fixture.listener.address())));
    network.settle();
    WireCapture.Mark after = oracles.mark();
    if (oracles.hasWire()) {
      comparison.compare("onLaterPeerData", outcome.onLaterPeerData(), teardownSegments(before, after));
    }
  }

  private void check(Step step) throws IOException {
    if (!step.arg(0).equals("timewait")) {
      throw new ScenarioException("line " + step.line() + ": only 'check timewait' exists");
    }
    TimeWaitHolder predicted = given.contains(Condition.SIMULTANEOUS_CLOSE)
        && outcome.conditions().contains(Condition.SIMULTANEOUS_CLOSE) ? TimeWaitHolder.BOTH : outcome.timeWait();
    comparison.compare("timeWait", predicted == null ? "undecided" : predicted, observedTimeWait());
  }

  /**
   * Who holds TIME_WAIT for this run's connections, matched by exact 4-tuple: a port the kernel
   * hands out again may still have TIME_WAIT entries of an earlier scenario's connections.
   */
  private TimeWaitHolder observedTimeWait() throws IOException {
    InetSocketAddress ours = ourAddress();
    List<InetSocketAddress> theirs = fixture.peerAddresses;
    boolean local = false;
    boolean peer = false;
    List<ProcNet.TcpSocket> sockets = new ArrayList<>(ProcNet.tcpSockets());
    sockets.addAll(network.peerOnlySockets());
    for (ProcNet.TcpSocket socket : sockets) {
      if (socket.state() != TcpState.TIME_WAIT) {
        continue;
      }
      local |= socket.local().equals(ours) && theirs.contains(socket.remote());
      peer |= socket.remote().equals(ours) && theirs.contains(socket.local());
    }
    if (local && peer) {
      return TimeWaitHolder.BOTH;
    }
    return local ? TimeWaitHolder.LOCAL : peer ? TimeWaitHolder.PEER : TimeWaitHolder.NONE;
  }

  /** The endpoint (or listener) under test's address. */
  private InetSocketAddress ourAddress() {
    return variant.api().isListener() ? fixture.listener.address() : fixture.local.localAddress();
  }

  /** A fact outside the model (what a Java call returned), checked against the scenario's claim. */
  private void expect(Step step) {
    String key = step.arg(0);
    if (unobservable.contains(key)) {
      return;
    }
    String expected = String.join(" ", step.args().subList(1, step.args().size()));
    if (PREMISES.contains(key)) {
      comparison.premise("expect." + key, expected, facts.getOrDefault(key, "(not observed)"));
    } else {
      comparison.compare("expect." + key, expected, facts.getOrDefault(key, "(not observed)"));
    }
  }

  // ---- helpers --------------------------------------------------------------------------

  /** One peer socket reads to its end; its bytes count as received. */
  private String peerRead(int peer) throws IOException {
    String answer = fixture.peer.readToEnd(peer, (int) PEER_READ_TIMEOUT_MILLIS);
    int space = answer.lastIndexOf(' ');
    peerReceived += Long.parseLong(answer.substring(space + 1));
    return answer.substring(0, space);
  }

  /** The model's view of two writes by the peer, each "ok", "output shut" or "failed". */
  static String classifyWrites(String first, String second) {
    if (first.equals("output shut")) {
      return PeerWrite.PEER_OUTPUT_SHUT.name();
    }
    if (first.equals("failed")) {
      return PeerWrite.FAILS.name();
    }
    return second.equals("ok") ? PeerWrite.ACCEPTED.name() : PeerWrite.RESET_THEN_FAILS.name();
  }

  /** SO_LINGER set as the application would, and told to the observer as the agent's hook tells its own. */
  private void setLinger(int seconds) throws IOException {
    fixture.local.setLinger(seconds);
    observer.optionSet(fixture.local.socket(), StandardSocketOptions.SO_LINGER, seconds);
  }

  private static int lingerArg(Step step, int index) {
    String value = step.arg(index);
    return value.equals("off") ? -1 : step.intArg(index);
  }

  private void readExactly(int bytes) throws IOException {
    int got = 0;
    long deadline = System.currentTimeMillis() + AWAIT_MILLIS;
    while (got < bytes && System.currentTimeMillis() < deadline) {
      int n = fixture.local.read(bytes - got, PEER_READ_TIMEOUT_MILLIS);
      if (n < 0) {
        throw new ScenarioException("local read hit EOF after " + got + " of " + bytes + " bytes");
      }
      got += n;
    }
    if (got < bytes) {
      throw new ScenarioException("local read " + got + " of " + bytes + " bytes in " + AWAIT_MILLIS + " ms");
    }
  }

  private String drainLocal() throws IOException {
    long deadline = System.currentTimeMillis() + AWAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (fixture.local.read(65536, PEER_READ_TIMEOUT_MILLIS) < 0) {
        return "EOF";
      }
    }
    throw new ScenarioException("local read-to-end saw no EOF in " + AWAIT_MILLIS + " ms");
  }

  private String readOnce() {
    try {
      int n = fixture.local.read(65536, PEER_READ_TIMEOUT_MILLIS);
      return n < 0 ? "EOF" : n == 0 ? "nothing" : "data";
    } catch (IOException e) {
      return "threw " + e.getClass().getSimpleName();
    }
  }

  /** Connects the used endpoint again to its peer: Linux refuses (EISCONN), and so does Java. */
  private String reconnect() {
    try {
      fixture.local.connectAgain();
      return "connected";
    } catch (IOException | RuntimeException e) {
      return "rejected";
    }
  }

  /**
   * Sockets of any state, connections and time-wait minisockets alike, on the local address and
   * belonging to this run's peers (or listening): not an earlier scenario's leftovers on a reused port.
   */
  private long entriesOnLocalPort() throws IOException {
    InetSocketAddress ours = ourAddress();
    return ProcNet.tcpSockets().stream()
        .filter(s -> s.local().equals(ours)
            && (s.state() == TcpState.LISTEN || fixture.peerAddresses.contains(s.remote())))
        .count();
  }

  private String connectResult() {
    try {
      return fixture.connectOutcome.get(PEER_READ_TIMEOUT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return "pending";
    } catch (Exception e) {
      return "failed: " + e;
    }
  }

  private void awaitUnread(long bytes) throws IOException {
    awaitQueue("unread bytes == " + bytes, s -> s.unreadBytes() == bytes);
  }

  /** More than {@code bytes} unread: a TLS record's bytes on the wire exceed its message's. */
  private void awaitUnreadAbove(long bytes) throws IOException {
    awaitQueue("unread bytes > " + bytes, s -> s.unreadBytes() > bytes);
  }

  private void awaitUnsent() throws IOException {
    awaitQueue("unsent bytes > 0", s -> s.unsentBytes() > 0);
  }

  /** Something written is not yet acknowledged (tx_queue), whether or not the window holds it. */
  private void awaitInFlight() throws IOException {
    long deadline = System.currentTimeMillis() + AWAIT_MILLIS;
    while (ProcView.connection(fixture.local.localAddress(), fixture.local.remoteAddress())
        .map(ProcNet.TcpSocket::txQueue).orElse(0L) == 0) {
      if (System.currentTimeMillis() > deadline) {
        throw new ScenarioException("nothing in flight within " + AWAIT_MILLIS + " ms");
      }
      sleep(1);
    }
  }

  private void awaitState(TcpState state) throws IOException {
    awaitQueue("state " + state, s -> s.state() == state);
  }

  private void awaitQueue(String what, java.util.function.Predicate<SocketSnapshot> condition)
      throws IOException {
    long deadline = System.currentTimeMillis() + AWAIT_MILLIS;
    while (!condition.test(procSnapshot())) {
      if (System.currentTimeMillis() > deadline) {
        throw new ScenarioException("kernel did not reach " + what + " in " + AWAIT_MILLIS + " ms: " + procSnapshot());
      }
      sleep(1);
    }
  }

  private static void sleep(long millis) {
    Network.sleepQuietly(millis);
  }
}
