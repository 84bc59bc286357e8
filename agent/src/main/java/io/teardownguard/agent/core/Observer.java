package io.teardownguard.agent.core;

import io.teardownguard.agent.jdk.JdkSockets;
import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.agent.probe.NativeSocketProbe;
import io.teardownguard.agent.probe.ProcNetSocketProbe;
import io.teardownguard.agent.probe.SocketProbe;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousChannel;
import java.nio.channels.SelectableChannel;

/**
 * The one path from a socket to a prediction: the JDK's view of it ({@link SocketView}), the
 * kernel's (the probe), the model's input built from both, the model's answer. The agent's hooks
 * run it inside the application's teardown call and hand the answer to the reporter; the
 * conformance command runs the same path ({@link #observeNow}) before its call under test, so
 * the kernel checks what the agent does. Allocates nothing on the common close (no finding):
 * views are stateless, and the model's verdict on it comes from a table computed with the model
 * when the agent was built ({@link QuietVerdicts}, checked against the model entry by entry), so
 * the model the kernel checks is still what decides.
 */
public final class Observer {
  /** Where an observation goes; a long-lived object, so observing allocates nothing for it. */
  public interface Sink {
    /**
     * A teardown the model says finds nothing and loses nothing, by its verdict ({@link
     * QuietVerdicts}); true when that was all the sink needed (it counted it), false when it wants
     * the snapshot and the outcome ({@link #observed}), and counted nothing.
     */
    boolean quiet(SocketView view, Object socket, TeardownCall call, JavaApi api, ChannelMode mode, int verdict);

    void observed(SocketView view, Object socket, TeardownCall call, SocketSnapshot snapshot, KernelView kernel,
        Outcome outcome);
  }

  /** One observation, for a caller outside the hooks (the conformance command). */
  public record Observation(SocketSnapshot snapshot, KernelView kernel, Outcome outcome) {}

  private final int jdkFeature = Runtime.version().feature();
  private final JdkSockets jdk;
  private final SocketProbe probe;
  private final boolean probeReadsLinger;
  /** {@code events=all}: every field of the kernel's view is read, for the report. */
  private final boolean everyField;
  private final LingerTracker linger = new LingerTracker();
  private final OutcomeCache outcomes = new OutcomeCache();
  private final QuietVerdicts verdicts = QuietVerdicts.forFeature(jdkFeature);
  final SocketView socketImpl;
  final SocketView channel;
  final SocketView asyncChannel = new AsyncChannelView();

  /**
   * @param probe the kernel's view, or null for the Java-level view alone
   * @param everyField read every field the probe can (the report's {@code kernel} object, and
   *     SO_LINGER even when no hook saw it set), not only those the model needs
   */
  public Observer(JdkSockets jdk, SocketProbe probe, boolean everyField) {
    this.jdk = jdk;
    this.everyField = everyField;
    this.probe = probe;
    this.probeReadsLinger = probe instanceof NativeSocketProbe;
    this.socketImpl = new SocketImplView(jdk);
    this.channel = new ChannelView(jdk);
  }

  /**
   * Observes {@code call} on {@code socket} and hands the prediction to {@code sink}; nothing when
   * the call takes no effect, or stopped taking effect during the probe (the descriptor number may
   * then name another socket).
   */
  public void observe(SocketView view, Object socket, TeardownCall call, Sink sink) throws Throwable {
    if (!view.takesEffect(socket, call.op())) {
      return;
    }
    KernelView kernel = read(view, socket);
    if (!view.takesEffect(socket, call.op())) {
      return;
    }
    ChannelMode mode = view.mode(socket);
    JavaApi api = view.api(socket);
    int verdict = Snapshots.verdict(verdicts, api, mode, kernel, view.connected(socket), view.inputShut(socket),
        view.outputShut(socket), lingerOf(socket, kernel), call);
    if (QuietVerdicts.isQuiet(verdict) && sink.quiet(view, socket, call, api, mode, verdict)) {
      return;
    }
    Answers answers = answers(view, socket, mode, kernel);
    sink.observed(view, socket, call, answers.snapshot(), kernel, answers.to(call));
  }

  /**
   * The same path for a socket the caller holds (a {@code Socket}, {@code ServerSocket}, a
   * channel or an adaptor), read as the hooks read it, without their check that the call takes
   * effect: the conformance command predicts calls the JDK refuses too. Null once the socket no
   * longer owns its descriptor (closed or closing: the number may name another socket).
   */
  public Observation observeNow(Object socket, TeardownCall call) throws Throwable {
    Object hooked = jdk.hookedObjectOf(socket);
    SocketView view = viewOf(hooked);
    if (!view.ownsDescriptor(hooked)) {
      return null;
    }
    KernelView kernel = read(view, hooked);
    Answers answers = answers(view, hooked, view.mode(hooked), kernel);
    return new Observation(answers.snapshot(), kernel, answers.to(call));
  }

  /** The socket read again with its descriptor number taken earlier (a deferred close's release, exit). */
  SocketSnapshot readAgain(SocketView view, Object socket, int fd, ChannelMode mode) {
    KernelView kernel = probe(fd, false);
    return kernel == null ? null : answers(view, socket, mode, kernel).snapshot();
  }

  /**
   * An option set on a socket the caller holds, told as the agent's setOption hook tells it (the
   * conformance command's {@code setSoLinger}).
   */
  public void optionSet(Object socket, Object name, Object value) {
    linger.optionSet(jdk.hookedObjectOf(socket), name, value);
  }

  /** Records an option set; whether it was SO_LINGER's. */
  boolean lingerSet(Object socket, Object name, Object value) {
    return linger.optionSet(socket, name, value);
  }

  int lingerSetBy(Object socket) {
    return linger.lingerOf(socket);
  }

  SocketView viewOf(Object hooked) {
    if (hooked instanceof AsynchronousChannel) {
      return asyncChannel;
    }
    return hooked instanceof SelectableChannel ? channel : socketImpl;
  }

  private Answers answers(SocketView view, Object socket, ChannelMode mode, KernelView kernel) {
    JavaApi api = view.api(socket);
    if (api.isListener()) {
      return Snapshots.listener(api, mode, jdkFeature, kernel, outcomes);
    }
    return Snapshots.of(api, mode, jdkFeature, kernel, view.connected(socket), view.inputShut(socket),
        view.outputShut(socket), lingerOf(socket, kernel), outcomes);
  }

  /**
   * The kernel's view through the descriptor. After both FINs the descriptor's socket reads
   * CLOSE whoever sent the first: tcp_time_wait() moved the connection to a TIME_WAIT minisocket
   * if this side did, tcp_done() ended it in LAST_ACK if the peer did, and a reset reads the same.
   * Only then, and only for a socket Java holds connected with its output shut, the connection is
   * looked up by its addresses in /proc/net/tcp (one scan) to tell TIME_WAIT apart.
   */
  private KernelView read(SocketView view, Object socket) throws Throwable {
    KernelView kernel = probe(view, socket);
    if (kernel != null && kernel.state() == TcpState.CLOSE && view.connected(socket) && view.outputShut(socket)) {
      TcpState listed = ProcNetSocketProbe.listedState(asInet(view.local(socket)), asInet(view.remote(socket)));
      if (listed == TcpState.TIME_WAIT) {
        return kernel.withState(listed);
      }
    }
    return kernel;
  }

  private static InetSocketAddress asInet(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet : null;
  }

  /**
   * SO_LINGER set somewhere is read back, and {@code events=all} reports the bytes in flight and
   * the window: then every field. Otherwise the model's fields, and none at all when the JDK
   * already knows them: a {@code Socket} whose application read EOF (the peer's FIN arrived, and
   * every byte before it was read) and whose output is not shut is in CLOSE_WAIT with nothing
   * unread ({@link KernelView#AFTER_EOF}). That skips the one case the probe cannot see then: a
   * reset after the EOF, or bytes the peer's window holds (a peer that half-closed and stopped
   * reading), both read as a FIN that is not sent.
   */
  private KernelView probe(SocketView view, Object socket) throws Throwable {
    int fd = view.fd(socket);
    if (probe == null || fd < 0) {
      return null;
    }
    boolean inputAtEof = view.inputAtEof(socket);
    boolean readLinger = everyField || linger.everSet();
    if (readLinger) {
      return probe.probe(fd, true, inputAtEof);
    }
    if (inputAtEof && !view.outputShut(socket)) {
      return KernelView.AFTER_EOF;
    }
    return probe.probeForModel(fd, inputAtEof);
  }

  private KernelView probe(int fd, boolean inputAtEof) {
    if (probe == null || fd < 0) {
      return null;
    }
    boolean readLinger = everyField || linger.everSet();
    return readLinger ? probe.probe(fd, true, inputAtEof) : probe.probeForModel(fd, inputAtEof);
  }

  /** The kernel's SO_LINGER when the probe read it, else what the application set. */
  private int lingerOf(Object socket, KernelView kernel) {
    boolean read = kernel != null && probeReadsLinger && (everyField || linger.everSet());
    return read ? kernel.lingerSeconds() : linger.lingerOf(socket);
  }
}
