package io.teardownguard.agent.core;

import static io.teardownguard.agent.instrumentation.HookEvent.API_RETURN;
import static io.teardownguard.agent.instrumentation.HookEvent.ASYNC_CLOSE;
import static io.teardownguard.agent.instrumentation.HookEvent.ASYNC_LISTENING;
import static io.teardownguard.agent.instrumentation.HookEvent.ASYNC_SHUTDOWN_INPUT;
import static io.teardownguard.agent.instrumentation.HookEvent.ASYNC_SHUTDOWN_OUTPUT;
import static io.teardownguard.agent.instrumentation.HookEvent.CHANNEL_CLOSE;
import static io.teardownguard.agent.instrumentation.HookEvent.CHANNEL_KILL;
import static io.teardownguard.agent.instrumentation.HookEvent.CHANNEL_SHUTDOWN_INPUT;
import static io.teardownguard.agent.instrumentation.HookEvent.CHANNEL_SHUTDOWN_OUTPUT;
import static io.teardownguard.agent.instrumentation.HookEvent.CLOSE_RETURN;
import static io.teardownguard.agent.instrumentation.HookEvent.HTTP_BODY_CLOSED;
import static io.teardownguard.agent.instrumentation.HookEvent.HTTP_CONNECTION_CLOSE;
import static io.teardownguard.agent.instrumentation.HookEvent.LISTENING;
import static io.teardownguard.agent.instrumentation.HookEvent.OPTION_SET;
import static io.teardownguard.agent.instrumentation.HookEvent.SOCKET_IMPL_CLOSE;
import static io.teardownguard.agent.instrumentation.HookEvent.SOCKET_IMPL_SHUTDOWN_INPUT;
import static io.teardownguard.agent.instrumentation.HookEvent.SOCKET_IMPL_SHUTDOWN_OUTPUT;
import static io.teardownguard.agent.instrumentation.HookEvent.SSL_CLOSE;
import static io.teardownguard.agent.instrumentation.HookEvent.SSL_SHUTDOWN_INPUT;
import static io.teardownguard.agent.instrumentation.HookEvent.SSL_SHUTDOWN_OUTPUT;

import io.teardownguard.agent.instrumentation.HookEvent;
import io.teardownguard.agent.instrumentation.HookListener;
import io.teardownguard.agent.jdk.JdkSockets;
import io.teardownguard.agent.observation.CallSite;
import io.teardownguard.agent.observation.LazyCallSite;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.agent.probe.SocketProbe;
import io.teardownguard.agent.report.Reporter;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TeardownCall;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * What the agent does at each hook: turns the hook's event number into one typed call, and
 * reports what {@link Observer#observe} predicts. Runs inside the application's teardown call, so
 * it takes no lock the JDK takes, does no I/O beyond the probe's system calls, walks the stack
 * only when something will be reported, and builds a record only then: a teardown that reports
 * nothing is only counted.
 */
public final class TeardownDispatcher implements Observer.Sink, HookListener {
  private static final TeardownCall CLOSE = TeardownCall.of(TeardownCall.Op.CLOSE);
  private static final TeardownCall SHUTDOWN_INPUT = TeardownCall.of(TeardownCall.Op.SHUTDOWN_INPUT);
  private static final TeardownCall SHUTDOWN_OUTPUT = TeardownCall.of(TeardownCall.Op.SHUTDOWN_OUTPUT);

  private final Supplier<SocketProbe> probeChoice;
  /** Set by {@link #initialize}; read only by hook calls after that. */
  private Observer observer;
  private JdkSockets jdk;
  private volatile boolean initialized;
  private final Reporter reporter;
  private final int stackDepth;
  private final boolean detailsAlways;
  private final ListeningPorts listeningPorts = new ListeningPorts();
  private final NestedCalls nested = new NestedCalls();
  private final HttpServerCloses httpServer = new HttpServerCloses();
  /** Made at the first hook of a channel, an SSLSocket or a Netty socket; null until then. */
  private volatile LazyParts lazyParts;
  /** Each thread's close between its entry and its return; made once per thread. */
  private final ThreadLocal<PendingClose> pendingCloses = new PendingCloses();

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
   * Builds the handles on the JDK's socket classes and picks the probe. The agent's warm-up thread
   * does it first thing; a hook that comes before it is done waits for it or does it (the model
   * needs the JDK's handles and the probe, and the first teardown must be reported as any other:
   * a Java-level view at start-up was tried and missed the findings of short-lived programs).
   */
  public void initialize() throws ReflectiveOperationException {
    if (initialized) {
      return;
    }
    synchronized (this) {
      if (!initialized) {
        jdk = JdkSockets.create();
        observer = new Observer(jdk, probeChoice.get(), detailsAlways);
        initialized = true;
      }
    }
  }

  /**
   * The hooks' handler: the inserted code can only pass a constant, so the event number becomes
   * one typed call here, and nowhere else.
   */
  @Override
  public void on(int event, Object socket, Object name, Object value) {
    try {
      initialize();
      switch (event) {
        case SOCKET_IMPL_CLOSE -> observer.observe(observer.socketImpl, socket, CLOSE, this);
        case SOCKET_IMPL_SHUTDOWN_INPUT -> observer.observe(observer.socketImpl, socket, SHUTDOWN_INPUT, this);
        case SOCKET_IMPL_SHUTDOWN_OUTPUT -> observer.observe(observer.socketImpl, socket, SHUTDOWN_OUTPUT, this);
        case CHANNEL_CLOSE -> observer.observe(observer.channel, socket, CLOSE, this);
        case CHANNEL_KILL -> {
          LazyParts parts = lazyParts;
          if (parts != null) { // else nothing was parked
            parts.deferred.release(socket);
          }
        }
        case CHANNEL_SHUTDOWN_INPUT -> observer.observe(observer.channel, socket, SHUTDOWN_INPUT, this);
        case CHANNEL_SHUTDOWN_OUTPUT -> observer.observe(observer.channel, socket, SHUTDOWN_OUTPUT, this);
        case OPTION_SET -> optionSet(socket, name, value);
        case LISTENING -> listeningPorts.add(jdk.localPortOf(socket));
        case SSL_CLOSE -> lazyParts().tlsCalls.enterClose(socket);
        case SSL_SHUTDOWN_INPUT -> nested.enter(TeardownCall.Op.SHUTDOWN_INPUT);
        case SSL_SHUTDOWN_OUTPUT -> nested.enter(TeardownCall.Op.SHUTDOWN_OUTPUT);
        case API_RETURN -> nested.exit(new LazyCallSite(CallSite.SSL_SOCKET, stackDepth), reporter::record);
        case HookEvent.NETTY_CLOSE, HookEvent.NETTY_SHUTDOWN, HookEvent.NETTY_LINGER_SET, HookEvent.NETTY_LISTENING ->
            lazyParts().netty.on(event, socket, name, value);
        case ASYNC_CLOSE -> observer.observe(observer.asyncChannel, socket, CLOSE, this);
        case ASYNC_SHUTDOWN_INPUT -> observer.observe(observer.asyncChannel, socket, SHUTDOWN_INPUT, this);
        case ASYNC_SHUTDOWN_OUTPUT -> observer.observe(observer.asyncChannel, socket, SHUTDOWN_OUTPUT, this);
        case ASYNC_LISTENING -> listeningPorts.add(observer.asyncChannel.localPort(socket));
        case HTTP_BODY_CLOSED -> httpServer.bodyClosed(socket);
        case HTTP_CONNECTION_CLOSE -> httpServer.closing(socket);
        case CLOSE_RETURN -> closeReturned();
        default -> throw new IllegalArgumentException("unknown hook event " + event);
      }
    } catch (Throwable t) {
      reporter.agentErrors().incrementAndGet();
    }
  }

  /**
   * The TCP socket beneath an SSLSocket's close, read on the observe path before the TLS layer
   * acts; null when it no longer owns its descriptor.
   */
  private TlsCalls.Beneath tlsBeneath(Object socketBeneath) throws Throwable {
    Observer.Observation seen = observer.observeNow(socketBeneath, CLOSE);
    if (seen == null) {
      return null;
    }
    Object hooked = jdk.hookedObjectOf(socketBeneath);
    SocketView view = observer.viewOf(hooked);
    return new TlsCalls.Beneath(seen.snapshot(), seen.kernel(), view.local(hooked), view.remote(hooked),
        listeningPorts.contains(view.localPort(hooked)));
  }

  /**
   * The parts only channels, SSLSockets and Netty's native sockets need, made at the first hook of
   * one of them (after {@link #initialize}): a JVM that uses plain Sockets only loads none of their
   * classes, nor, through SelectorState, the JDK's selector classes. Each class loaded was 0.3 to
   * 0.4 ms of a short-lived JVM's CPU (issue 14). Made under the dispatcher's own monitor, as in
   * initialize(), which no JDK code takes.
   */
  private LazyParts lazyParts() {
    LazyParts parts = lazyParts;
    if (parts == null) {
      synchronized (this) {
        parts = lazyParts;
        if (parts == null) {
          parts = new LazyParts(this);
          lazyParts = parts;
        }
      }
    }
    return parts;
  }

  private static final class LazyParts {
    final DeferredCloses deferred;
    final TlsCalls tlsCalls;
    final NettyTeardowns netty;

    /** @throws IllegalStateException a JDK without the selector fields SelectorState reads (counted by the hook) */
    LazyParts(TeardownDispatcher dispatcher) {
      try {
        deferred = new DeferredCloses(new SelectorState());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("the JDK's selector fields", e);
      }
      tlsCalls = new TlsCalls(dispatcher.nested, dispatcher.new TlsBeneath(), dispatcher.reporter.agentErrors());
      netty = new NettyTeardowns(dispatcher.observer, dispatcher, dispatcher.listeningPorts);
    }
  }

  /**
   * Classes rather than a method reference and {@code ThreadLocal.withInitial}: each lambda costs
   * a LambdaMetafactory spin at install, inside the JVM's start-up (issue 14).
   */
  private final class TlsBeneath implements TlsCalls.BeneathReader {
    @Override
    public TlsCalls.Beneath read(Object socketBeneath) throws Throwable {
      return tlsBeneath(socketBeneath);
    }
  }

  private static final class PendingCloses extends ThreadLocal<PendingClose> {
    @Override
    protected PendingClose initialValue() {
      return new PendingClose();
    }
  }

  /** Records SO_LINGER, and reports the setSoLinger call (it sends nothing; it arms close()). */
  private void optionSet(Object socket, Object name, Object value) throws Throwable {
    if (observer.lingerSet(socket, name, value)) {
      observer.observe(observer.viewOf(socket), socket, TeardownCall.setSoLinger(observer.lingerSetBy(socket)), this);
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
    LazyParts parts = lazyParts;
    if (parts != null) {
      parts.deferred.abandonAll();
    }
  }

  /**
   * A teardown the model says is quiet: counted, unless something wants its record (events=all, a
   * library's teardown call around it, a registered channel's close, which is parked) or it is
   * the sampled server-side TIME_WAIT close whose call site the reporter walks.
   */
  @Override
  public boolean quiet(SocketView view, Object socket, TeardownCall call, JavaApi api, ChannelMode mode,
      int verdict) {
    if (mode == ChannelMode.REGISTERED || nested.inScope()) {
      return false;
    }
    return reporter.countQuiet(call, api, QuietVerdicts.outcomeClass(verdict), QuietVerdicts.localTimeWait(verdict),
        listeningPorts.contains(view.localPort(socket)));
  }

  /**
   * Every observation. A registered channel's close is parked for its Selector. Any other close
   * hooked on its way out and reported is held until the JDK's close returns
   * ({@link #closeReturned}): its kernel reading was taken at entry, as close to the close(2) as
   * the hook can be, and the record and the call site come after. The address a report needs is
   * read now, while the descriptor is open. A close that reports nothing (almost all) is only
   * counted, now, and leaves nothing for its return: a few counter increments are all that
   * stands between the reading and the close(2).
   */
  @Override
  public void observed(SocketView view, Object socket, TeardownCall call, SocketSnapshot snapshot, KernelView kernel,
      Outcome outcome) {
    if (call.closesSocket() && snapshot.mode() == ChannelMode.REGISTERED) {
      // Parked now, before the JDK's close: the Selector's kill() may follow its return at once.
      park(view, socket, call, snapshot, kernel, outcome, view.local(socket));
      return;
    }
    boolean serverSide = listeningPorts.contains(view.localPort(socket));
    if (call.closesSocket() && view.closeReturnHooked()) {
      boolean reported = reporter.wantsRecord(outcome) || nested.inScope();
      if (!reported && !reporter.count(call, snapshot.api(), outcome, serverSide)) {
        return;
      }
      // Reported, or counted and sampled for SERVER_SIDE_TIME_WAIT: its record after the close(2).
      pendingCloses.get().hold(view, socket, call, snapshot, kernel, outcome, reported ? view.local(socket) : null,
          serverSide, !reported);
      return;
    }
    report(view, socket, call, snapshot, kernel, outcome, null, serverSide, false);
  }

  /** The JDK's close returned (or threw): the close read at its entry is reported now. */
  private void closeReturned() {
    PendingClose pending = pendingCloses.get();
    if (pending.socket == null) {
      return; // the close took no effect, or was not read
    }
    SocketView view = pending.view;
    Object socket = pending.socket;
    TeardownCall call = pending.call;
    SocketSnapshot snapshot = pending.snapshot;
    KernelView kernel = pending.kernel;
    Outcome outcome = pending.outcome;
    SocketAddress local = pending.local;
    boolean serverSide = pending.serverSide;
    boolean counted = pending.counted;
    pending.clear();
    report(view, socket, call, snapshot, kernel, outcome, local, serverSide, counted);
  }

  /**
   * Reports a teardown, or only counts it when it reports nothing (no finding, no
   * {@code events=all}, outside a library's teardown call).
   *
   * @param local the local address when read already (a close's, at its entry), else null
   * @param serverSide whether its local port is one this process listened on
   * @param counted counted already (at its entry), and sampled for {@code SERVER_SIDE_TIME_WAIT}
   */
  private void report(SocketView view, Object socket, TeardownCall call, SocketSnapshot snapshot, KernelView kernel,
      Outcome outcome, SocketAddress local, boolean serverSide, boolean counted) {
    boolean inScope = nested.inScope();
    if (!counted && !inScope && !reporter.wantsRecord(outcome)
        && !reporter.count(call, snapshot.api(), outcome, serverSide)) {
      return;
    }
    // Inside a library's own teardown call the address is read now: the last inner call closes.
    boolean details = detailsAlways || !outcome.findings().isEmpty() || inScope;
    SocketAddress address = !details ? null : local != null ? local : view.local(socket);
    TeardownRecord record = new TeardownRecord(call, snapshot, kernel, outcome, address,
        view.remote(socket), Instant.now(), Thread.currentThread().getName(),
        view.callSite(snapshot.api(), stackDepth), serverSide, view.decidedAt(socket, call));
    record = httpServer.attribute(socket, record);
    if (inScope && nested.collect(record)) {
      return;
    }
    if (reporter.wantsRecord(outcome)) {
      reporter.record(record);
    } else {
      reporter.serverSideTimeWait(record);
    }
  }

  /**
   * A channel registered with a Selector is not closed by close(): the Selector releases it later.
   * The call site is on this thread now.
   */
  private void park(SocketView view, Object socket, TeardownCall call, SocketSnapshot snapshot, KernelView kernel,
      Outcome atClose, SocketAddress local) {
    LazyCallSite site = new LazyCallSite(snapshot.api().reportName(), stackDepth);
    site.get();
    int fd;
    try {
      fd = view.fd(socket);
    } catch (Throwable t) {
      fd = -1;
    }
    TeardownRecord atCall = new TeardownRecord(call, snapshot, kernel, atClose, local,
        view.remote(socket), Instant.now(), Thread.currentThread().getName(), site,
        listeningPorts.contains(view.localPort(socket)));
    if (!ParkedClose.park(lazyParts().deferred, view, socket, fd, atCall, observer, reporter)) {
      reporter.record(atCall);
    }
  }
}
