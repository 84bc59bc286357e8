package io.teardownguard.agent.core;

import io.teardownguard.agent.observation.CallSiteSource;
import io.teardownguard.agent.observation.DecidedAt;
import io.teardownguard.agent.observation.LazyCallSite;
import io.teardownguard.agent.observation.TeardownRecord;
import static io.teardownguard.agent.instrumentation.HookEvent.API_RETURN;
import static io.teardownguard.agent.instrumentation.HookEvent.CHANNEL_CLOSE;
import static io.teardownguard.agent.instrumentation.HookEvent.CHANNEL_KILL;
import static io.teardownguard.agent.instrumentation.HookEvent.CHANNEL_SHUTDOWN_INPUT;
import static io.teardownguard.agent.instrumentation.HookEvent.CHANNEL_SHUTDOWN_OUTPUT;
import static io.teardownguard.agent.instrumentation.HookEvent.LISTENING;
import static io.teardownguard.agent.instrumentation.HookEvent.OPTION_SET;
import static io.teardownguard.agent.instrumentation.HookEvent.SOCKET_IMPL_CLOSE;
import static io.teardownguard.agent.instrumentation.HookEvent.SOCKET_IMPL_SHUTDOWN_INPUT;
import static io.teardownguard.agent.instrumentation.HookEvent.SOCKET_IMPL_SHUTDOWN_OUTPUT;
import static io.teardownguard.agent.instrumentation.HookEvent.SSL_CLOSE;
import static io.teardownguard.agent.instrumentation.HookEvent.SSL_SHUTDOWN_INPUT;
import static io.teardownguard.agent.instrumentation.HookEvent.SSL_SHUTDOWN_OUTPUT;

import io.teardownguard.agent.jdk.JdkSockets;
import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.agent.probe.NativeSocketProbe;
import io.teardownguard.agent.probe.SocketProbe;
import io.teardownguard.agent.report.Reporter;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.Finding;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.rules.Rule;
import io.teardownguard.model.semantics.DeferredClose;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the agent does at each hook: read the JDK's and the kernel's view of the socket, ask the
 * model, hand the record to the reporter. Runs inside the application's teardown call, so it
 * takes no lock the JDK takes, does no I/O beyond the probe's syscalls, walks the stack only when
 * something will be reported, and builds a record only then: a teardown that reports nothing is
 * only counted.
 */
public final class TeardownDispatcher {
  private static final String SSL_SOCKET = "javax.net.ssl.SSLSocket";
  private static final String NIO_SOCKET_IMPL = "sun.nio.ch.NioSocketImpl";
  private final Supplier<SocketProbe> probeChoice;
  /** Set by {@link #initialize}; read only by hook calls after that. */
  private JdkSockets jdk;
  private SocketProbe probe;
  private boolean probeReadsLinger;
  private volatile boolean initialized;
  private final Reporter reporter;
  private final int stackDepth;
  private final boolean detailsAlways;
  private final int jdkFeature = Runtime.version().feature();
  private final LingerTracker linger = new LingerTracker();
  private SelectorState selectors;
  private DeferredCloses deferred;
  private final ListeningPorts listeningPorts = new ListeningPorts();
  private final OutcomeCache outcomes = new OutcomeCache();
  private final NestedCalls nested = new NestedCalls();
  private final TlsCalls tlsCalls;

  /**
   * @param probeChoice picks the probe (null from it: Java-level state only), at the first hook
   * @param detailsAlways {@code events=all}: every teardown is reported with its addresses
   */
  public TeardownDispatcher(Supplier<SocketProbe> probeChoice, Reporter reporter, int stackDepth,
      boolean detailsAlways) {
    this.probeChoice = probeChoice;
    this.reporter = reporter;
    this.stackDepth = stackDepth;
    this.detailsAlways = detailsAlways;
    this.tlsCalls = new TlsCalls(nested, this::tlsBeneath, reporter.agentErrors());
  }

  /**
   * Builds the handles on the JDK's socket classes and picks the probe. The agent's warm-up thread
   * does it first thing; a hook that comes before it is done waits for it or does it (the model
   * needs the JDK's handles and the probe, and the first teardown must be reported as any other).
   */
  public void initialize() throws ReflectiveOperationException {
    if (initialized) {
      return;
    }
    synchronized (this) {
      if (!initialized) {
        jdk = JdkSockets.create();
        selectors = new SelectorState();
        deferred = new DeferredCloses(selectors);
        probe = probeChoice.get();
        probeReadsLinger = probe instanceof NativeSocketProbe;
        initialized = true;
      }
    }
  }

  /** The hooks' handler: one call per {@link io.teardownguard.agent.instrumentation.HookEvent}. */
  public void on(int event, Object socket, Object name, Object value) {
    try {
      initialize();
      switch (event) {
        case SOCKET_IMPL_CLOSE -> socketImpl(socket, TeardownCall.Op.CLOSE);
        case SOCKET_IMPL_SHUTDOWN_INPUT -> socketImpl(socket, TeardownCall.Op.SHUTDOWN_INPUT);
        case SOCKET_IMPL_SHUTDOWN_OUTPUT -> socketImpl(socket, TeardownCall.Op.SHUTDOWN_OUTPUT);
        case CHANNEL_CLOSE -> channelClose((SelectableChannel) socket);
        case CHANNEL_KILL -> deferred.release(socket);
        case CHANNEL_SHUTDOWN_INPUT -> channelShutdown((SelectableChannel) socket, TeardownCall.Op.SHUTDOWN_INPUT);
        case CHANNEL_SHUTDOWN_OUTPUT -> channelShutdown((SelectableChannel) socket, TeardownCall.Op.SHUTDOWN_OUTPUT);
        case OPTION_SET -> optionSet(socket, name, value);
        case LISTENING -> listeningPorts.add(jdk.localPortOf(socket));
        case SSL_CLOSE -> tlsCalls.enterClose(socket);
        case SSL_SHUTDOWN_INPUT -> nested.enter(TeardownCall.Op.SHUTDOWN_INPUT);
        case SSL_SHUTDOWN_OUTPUT -> nested.enter(TeardownCall.Op.SHUTDOWN_OUTPUT);
        case API_RETURN -> nested.exit(new LazyCallSite(SSL_SOCKET, stackDepth), reporter::record);
        default -> throw new IllegalArgumentException("unknown hook event " + event);
      }
    } catch (Throwable t) {
      reporter.agentErrors().incrementAndGet();
    }
  }

  /**
   * Learns the listeners opened before the agent started (a dynamic attach): connections they
   * accept are the server's side. Once, from the warm-up thread; the hooks see later ones.
   */
  public void learnListeningSockets() {
    try {
      ListeningSockets.learn(Path.of("/proc"), listeningPorts::add);
    } catch (IOException | RuntimeException e) {
      // no /proc (not Linux) or not readable: listeners are learned from the hooks alone
    }
  }

  /** Reports the closes still waiting for their Selector, as they stand (JVM exit). */
  public void drainDeferred() {
    if (initialized) {
      deferred.abandonAll();
    }
  }

  private void socketImpl(Object impl, TeardownCall.Op op) {
    if (!jdk.implIsLive(impl)) {
      return; // never opened, or already closing: the JDK does nothing either
    }
    boolean server = jdk.implIsServer(impl);
    JavaApi api = server ? JavaApi.SERVER_SOCKET : JavaApi.SOCKET;
    KernelView kernel = probe(jdk.implFd(impl), !server && jdk.implInputAtEof(impl));
    if (!jdk.implIsLive(impl)) {
      return; // another thread closed it during the probe: the number may name another socket now
    }
    SocketSnapshot snapshot = server
        ? Snapshots.listener(api, ChannelMode.BLOCKING, jdkFeature, kernel)
        : implSnapshot(impl, kernel);
    TeardownCall call = TeardownCall.of(op);
    report(impl, call, snapshot, kernel, outcomes.predict(snapshot, call));
  }

  /** A connected (or connecting) {@code NioSocketImpl}, client side of the API. */
  private SocketSnapshot implSnapshot(Object impl, KernelView kernel) {
    return Snapshots.of(JavaApi.SOCKET, ChannelMode.BLOCKING, jdkFeature, kernel, jdk.implConnected(impl),
        jdk.implInputClosed(impl), jdk.implOutputClosed(impl), lingerOf(impl, kernel));
  }

  /** The TCP socket beneath an SSLSocket's close, read as its own close would be; null when not live. */
  private TlsCalls.Beneath tlsBeneath(Object impl) {
    if (!NIO_SOCKET_IMPL.equals(impl.getClass().getName()) || !jdk.implIsLive(impl)) {
      return null;
    }
    KernelView kernel = probe(jdk.implFd(impl), jdk.implInputAtEof(impl));
    return new TlsCalls.Beneath(implSnapshot(impl, kernel), kernel, implLocal(impl), jdk.implRemote(impl),
        serverSide(impl));
  }

  private void channelClose(SelectableChannel channel) throws Throwable {
    if (jdk.channelIsUnixDomain(channel)) {
      return; // not TCP: outside the model (docs/agent.md)
    }
    boolean listener = !jdk.isSocketChannel(channel);
    JavaApi api = listener ? JavaApi.SERVER_SOCKET_CHANNEL : JavaApi.SOCKET_CHANNEL;
    ChannelMode mode = modeOf(channel);
    boolean registered = mode == ChannelMode.REGISTERED;
    int fd = jdk.channelFd(channel);
    KernelView kernel = probe(fd);
    SocketSnapshot snapshot = channelSnapshot(channel, api, mode, kernel, listener);
    TeardownCall call = TeardownCall.of(TeardownCall.Op.CLOSE);
    Outcome atClose = outcomes.predict(snapshot, call);
    if (!registered) {
      report(channel, call, snapshot, kernel, atClose);
      return;
    }
    // The call site is on this thread now; the Selector's thread releases the socket later.
    LazyCallSite site = new LazyCallSite(fallbackApi(channel), stackDepth);
    site.get();
    ParkedClose parked = new ParkedClose(channel, fd, api, call, snapshot, kernel, atClose, site);
    if (!deferred.park(channel, parked)) {
      parked.report(atClose, DecidedAt.CALL);
    }
  }

  /** A registered channel's close, waiting for its Selector. */
  private final class ParkedClose extends DeferredCloses.Pending {
    private final SelectableChannel channel;
    private final int fd;
    private final JavaApi api;
    private final TeardownCall call;
    private final SocketSnapshot snapshot;
    private final KernelView kernel;
    private final Outcome atClose;
    private final CallSiteSource site;
    private final SocketAddress local;
    private final SocketAddress remote;
    private final Instant time = Instant.now();
    private final String thread = Thread.currentThread().getName();

    ParkedClose(SelectableChannel channel, int fd, JavaApi api, TeardownCall call, SocketSnapshot snapshot,
        KernelView kernel, Outcome atClose, CallSiteSource site) {
      super(selectors.selectorOf(channel));
      this.channel = channel;
      this.fd = fd;
      this.api = api;
      this.call = call;
      this.snapshot = snapshot;
      this.kernel = kernel;
      this.atClose = atClose;
      this.site = site;
      this.local = jdk.channelLocal(channel);
      this.remote = jdk.channelRemote(channel);
    }

    /** kill() is about to close(2): the socket is read again, as that close finds it. */
    @Override
    void released() {
      SocketSnapshot now = readAgain();
      report(DeferredClose.released(atClose, now), now == null ? DecidedAt.CALL : DecidedAt.RELEASE);
    }

    /** The kernel closes the descriptor when the process ends: read as exit finds it. */
    @Override
    void abandoned(DeferredCloses.Abandoned why, long pendingNanos) {
      Finding finding = why.finding() ? new Finding(Rule.CLOSE_DEFERRED_BY_SELECTOR, neverReleased(why, pendingNanos))
          : null;
      report(DeferredClose.closedAtExit(atClose, readAgain(), finding), DecidedAt.EXIT);
    }

    private SocketSnapshot readAgain() {
      KernelView view = probe(fd);
      return view == null ? null
          : channelSnapshot(channel, api, ChannelMode.NON_BLOCKING, view, api == JavaApi.SERVER_SOCKET_CHANNEL);
    }

    void report(Outcome outcome, DecidedAt decidedAt) {
      reporter.record(new TeardownRecord(call, snapshot, kernel, outcome, local, remote, time, thread, site,
          serverSide(channel), decidedAt));
    }
  }

  private static String neverReleased(DeferredCloses.Abandoned why, long pendingNanos) {
    long millis = TimeUnit.NANOSECONDS.toMillis(pendingNanos);
    return why == DeferredCloses.Abandoned.NO_SELECT
        ? "close() returned " + millis + " ms before exit, but no thread selected on the channel's Selector again"
            + " (the loop stopped, the Selector left open): the socket was never released and the connection"
            + " stayed open until the process ended"
        : "close() returned " + millis + " ms before exit, but the Selector's thread stayed blocked in select()"
            + " and never released the socket: a close from another thread needs Selector.wakeup()";
  }

  /**
   * A shutdown takes effect only on a connected channel that is still open: otherwise
   * SocketChannelImpl throws (ClosedChannelException, NotYetConnectedException) and does nothing.
   */
  private void channelShutdown(SelectableChannel channel, TeardownCall.Op op) throws Throwable {
    if (!ownedTcpChannel(channel) || !jdk.channelConnected(channel)) {
      return;
    }
    KernelView kernel = probe(jdk.channelFd(channel));
    if (!jdk.channelConnected(channel)) {
      return; // closed during the probe: the shutdown will throw, and the number may be reused
    }
    SocketSnapshot snapshot = channelSnapshot(channel, JavaApi.SOCKET_CHANNEL, modeOf(channel), kernel, false);
    TeardownCall call = TeardownCall.of(op);
    report(channel, call, snapshot, kernel, outcomes.predict(snapshot, call));
  }

  /** Records SO_LINGER, and reports the setSoLinger call (it sends nothing; it arms close()). */
  private void optionSet(Object socket, Object name, Object value) throws Throwable {
    if (!linger.optionSet(socket, name, value)) {
      return;
    }
    TeardownCall call = TeardownCall.setSoLinger(linger.lingerOf(socket));
    if (jdk.isSocketChannel(socket)) {
      SelectableChannel channel = (SelectableChannel) socket;
      if (!ownedTcpChannel(channel)) {
        return;
      }
      KernelView kernel = probe(jdk.channelFd(channel));
      if (!jdk.channelOwnsFd(channel)) {
        return; // closed during the probe
      }
      SocketSnapshot snapshot = channelSnapshot(channel, JavaApi.SOCKET_CHANNEL, modeOf(channel), kernel, false);
      report(channel, call, snapshot, kernel, outcomes.predict(snapshot, call));
    } else if (jdk.implIsLive(socket) && !jdk.implIsServer(socket)) {
      KernelView kernel = probe(jdk.implFd(socket), jdk.implInputAtEof(socket));
      if (!jdk.implIsLive(socket)) {
        return; // closed during the probe
      }
      SocketSnapshot snapshot = implSnapshot(socket, kernel);
      report(socket, call, snapshot, kernel, outcomes.predict(snapshot, call));
    }
  }

  /** A TCP channel whose descriptor is still its own (see {@link JdkSockets#channelOwnsFd}). */
  private boolean ownedTcpChannel(SelectableChannel channel) {
    return jdk.channelOwnsFd(channel) && !jdk.channelIsUnixDomain(channel);
  }

  /** isBlocking() takes no lock; registration is read from keyCount, not isRegistered() (keyLock). */
  private ChannelMode modeOf(SelectableChannel channel) {
    if (jdk.channelRegistered(channel)) {
      return ChannelMode.REGISTERED;
    }
    return channel.isBlocking() ? ChannelMode.BLOCKING : ChannelMode.NON_BLOCKING;
  }

  private SocketAddress implLocal(Object impl) {
    try {
      return jdk.implLocal(impl);
    } catch (Throwable t) {
      return null;
    }
  }

  private SocketSnapshot channelSnapshot(Object channel, JavaApi api, ChannelMode mode, KernelView kernel, boolean listener) {
    if (listener) {
      return Snapshots.listener(api, mode, jdkFeature, kernel);
    }
    return Snapshots.of(api, mode, jdkFeature, kernel, jdk.channelConnected(channel), jdk.channelInputClosed(channel),
        jdk.channelOutputClosed(channel), lingerOf(channel, kernel));
  }

  /** Channels keep no EOF flag (SocketChannelImpl), so their probes always read the receive queue. */
  private KernelView probe(int fd) {
    return probe(fd, false);
  }

  private KernelView probe(int fd, boolean inputAtEof) {
    if (probe == null || fd < 0) {
      return null;
    }
    // events=all reports the in-flight bytes and the window; SO_LINGER set somewhere is read back.
    return detailsAlways || linger.everSet() ? probe.probe(fd, linger.everSet(), inputAtEof)
        : probe.probeForModel(fd, inputAtEof);
  }

  /** The kernel's SO_LINGER when the probe read it, else what the application set. */
  private int lingerOf(Object socket, KernelView kernel) {
    return kernel != null && linger.everSet() && probeReadsLinger ? kernel.lingerSeconds() : linger.lingerOf(socket);
  }

  /**
   * Counts a teardown that reports nothing (no finding, no {@code events=all}, no JFR teardown
   * event, outside a library's teardown call) without building its record; reports the others.
   */
  private void report(Object socket, TeardownCall call, SocketSnapshot snapshot, KernelView kernel, Outcome outcome) {
    boolean serverSide = serverSide(socket);
    boolean inScope = nested.inScope();
    if (!inScope && !reporter.wantsRecord(outcome) && !reporter.count(call, snapshot.api(), outcome, serverSide)) {
      return;
    }
    // Inside a library's own teardown call the address is read now: the last inner call closes.
    boolean details = detailsAlways || !outcome.findings().isEmpty() || inScope;
    boolean impl = !(socket instanceof SelectableChannel);
    SocketAddress local = details ? (impl ? implLocal(socket) : jdk.channelLocal(socket)) : null;
    SocketAddress remote = impl ? jdk.implRemote(socket) : jdk.channelRemote(socket);
    String fallbackApi = impl ? (jdk.implIsServer(socket) ? "java.net.ServerSocket" : "java.net.Socket")
        : fallbackApi((SelectableChannel) socket);
    TeardownRecord record = new TeardownRecord(call, snapshot, kernel, outcome, local, remote, Instant.now(),
        Thread.currentThread().getName(), new LazyCallSite(fallbackApi, stackDepth), serverSide);
    if (inScope && nested.collect(record)) {
      return;
    }
    if (reporter.wantsRecord(outcome)) {
      reporter.record(record);
    } else {
      reporter.serverSideTimeWait(record);
    }
  }

  private String fallbackApi(SelectableChannel channel) {
    return jdk.isSocketChannel(channel) ? "java.nio.channels.SocketChannel" : "java.nio.channels.ServerSocketChannel";
  }

  private boolean serverSide(Object socket) {
    return listeningPorts.contains(jdk.localPortOf(socket));
  }
}
