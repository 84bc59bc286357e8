package io.teardownguard.agent.core;

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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the agent does at each hook: read the JDK's and the kernel's view of the socket, ask the
 * model, hand the record to the reporter. Runs inside the application's teardown call, so it
 * takes no lock the JDK takes, does no I/O beyond the probe's syscalls, and walks the stack only
 * when something will be reported.
 */
public final class TeardownDispatcher {
  private static final String SSL_SOCKET = "javax.net.ssl.SSLSocket";
  private final Supplier<SocketProbe> probeChoice;
  /** Set at the first hook call (see {@link #initialize}); read only by hook calls after that. */
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
  private final AtomicLong events = new AtomicLong();

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
  }

  /**
   * Builds the handles on the JDK's socket classes and picks the probe. Done at the first hook
   * call, or by the agent's warm-up thread, whichever comes first, so that JVM start-up pays
   * nothing for it; by then those classes are loaded anyway.
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

  /** Hook calls seen; the self-test checks that this moves. */
  public long events() {
    return events.get();
  }

  /** The hooks' handler: one call per {@link io.teardownguard.agent.instrumentation.HookEvent}. */
  public void on(int event, Object socket, Object name, Object value) {
    events.incrementAndGet();
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
        case SSL_CLOSE -> nested.enter(TeardownCall.Op.CLOSE);
        case SSL_SHUTDOWN_INPUT -> nested.enter(TeardownCall.Op.SHUTDOWN_INPUT);
        case SSL_SHUTDOWN_OUTPUT -> nested.enter(TeardownCall.Op.SHUTDOWN_OUTPUT);
        case API_RETURN -> nested.exit(() -> CallSite.capture(SSL_SOCKET, stackDepth), reporter::record);
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
        : Snapshots.of(api, ChannelMode.BLOCKING, jdkFeature, kernel, jdk.implConnected(impl),
            jdk.implInputClosed(impl), jdk.implOutputClosed(impl), lingerOf(impl, kernel));
    TeardownCall call = TeardownCall.of(op);
    Outcome outcome = outcomes.predict(snapshot, call);
    report(impl, call, snapshot, kernel, outcome, () -> implLocal(impl), jdk.implRemote(impl),
        server ? "java.net.ServerSocket" : "java.net.Socket");
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
    String fallbackApi = listener ? "java.nio.channels.ServerSocketChannel" : "java.nio.channels.SocketChannel";
    if (!registered) {
      report(channel, call, snapshot, kernel, atClose, () -> jdk.channelLocal(channel), jdk.channelRemote(channel), fallbackApi);
      return;
    }
    // The call site is on this thread now; the Selector's thread releases the socket later.
    Supplier<CallSite> site = new Memo<>(() -> CallSite.capture(fallbackApi, stackDepth));
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
    private final Supplier<CallSite> site;
    private final SocketAddress local;
    private final SocketAddress remote;
    private final Instant time = Instant.now();
    private final String thread = Thread.currentThread().getName();

    ParkedClose(SelectableChannel channel, int fd, JavaApi api, TeardownCall call, SocketSnapshot snapshot,
        KernelView kernel, Outcome atClose, Supplier<CallSite> site) {
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
    report(channel, call, snapshot, kernel, outcomes.predict(snapshot, call), () -> jdk.channelLocal(channel),
        jdk.channelRemote(channel), "java.nio.channels.SocketChannel");
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
      report(channel, call, snapshot, kernel, outcomes.predict(snapshot, call), () -> jdk.channelLocal(channel),
          jdk.channelRemote(channel), "java.nio.channels.SocketChannel");
    } else if (jdk.implIsLive(socket) && !jdk.implIsServer(socket)) {
      KernelView kernel = probe(jdk.implFd(socket), jdk.implInputAtEof(socket));
      if (!jdk.implIsLive(socket)) {
        return; // closed during the probe
      }
      SocketSnapshot snapshot = Snapshots.of(JavaApi.SOCKET, ChannelMode.BLOCKING, jdkFeature, kernel,
          jdk.implConnected(socket), jdk.implInputClosed(socket), jdk.implOutputClosed(socket), lingerOf(socket, kernel));
      report(socket, call, snapshot, kernel, outcomes.predict(snapshot, call), () -> implLocal(socket),
          jdk.implRemote(socket), "java.net.Socket");
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
    return probe == null || fd < 0 ? null : probe.probe(fd, linger.everSet(), inputAtEof);
  }

  /** The kernel's SO_LINGER when the probe read it, else what the application set. */
  private int lingerOf(Object socket, KernelView kernel) {
    return kernel != null && linger.everSet() && probeReadsLinger ? kernel.lingerSeconds() : linger.lingerOf(socket);
  }

  private void report(Object socket, TeardownCall call, SocketSnapshot snapshot, KernelView kernel, Outcome outcome,
      Supplier<SocketAddress> local, SocketAddress remote, String fallbackApi) {
    // Inside a library's own teardown call the address is read now: the last inner call closes.
    boolean details = detailsAlways || !outcome.findings().isEmpty() || nested.inScope();
    TeardownRecord record = new TeardownRecord(call, snapshot, kernel, outcome, details ? local.get() : null, remote,
        Instant.now(), Thread.currentThread().getName(), new Memo<>(() -> CallSite.capture(fallbackApi, stackDepth)),
        serverSide(socket));
    if (!nested.collect(record)) {
      reporter.record(record);
    }
  }

  private boolean serverSide(Object socket) {
    return listeningPorts.contains(jdk.localPortOf(socket));
  }
}
