package io.teardownguard.agent.core;

import static io.teardownguard.agent.instrumentation.HookEvent.ASYNC_CLOSE;
import static io.teardownguard.agent.instrumentation.HookEvent.ASYNC_LISTENING;
import static io.teardownguard.agent.instrumentation.HookEvent.ASYNC_SHUTDOWN_INPUT;
import static io.teardownguard.agent.instrumentation.HookEvent.ASYNC_SHUTDOWN_OUTPUT;

import io.teardownguard.agent.jdk.JdkAsyncChannels;
import io.teardownguard.agent.observation.LazyCallSite;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.agent.report.Reporter;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TeardownCall;
import java.time.Instant;
import java.util.function.IntFunction;
import java.util.function.ToIntBiFunction;

/**
 * The hooks of the asynchronous channels ({@code AsynchronousSocketChannel},
 * {@code AsynchronousServerSocketChannel}): the same probe, model and reporter as the other
 * sockets, with the JDK state read from {@code sun.nio.ch.AsynchronousSocketChannelImpl}. Their
 * descriptor is non-blocking and polled by the channel group's epoll port, never registered with
 * a Selector: the snapshot's mode is {@link ChannelMode#NON_BLOCKING}, and close() is one close(2),
 * made at once (model rows {@code async-channel-close}, {@code async-listener-close}). The JDK
 * refuses SO_LINGER on them ({@code async-set-linger-refused}), so nothing here tracks it: the
 * kernel's value is read as for any socket once some other socket set it, else it is off.
 *
 * <p>Only the hooks in the asynchronous classes reach this class, so a process that never opens
 * one pays nothing here: the JDK handles are made at the first of those hooks.
 */
final class AsyncChannelTeardowns {
  private static final String SOCKET_API = "java.nio.channels.AsynchronousSocketChannel";
  private static final String SERVER_API = "java.nio.channels.AsynchronousServerSocketChannel";

  private final IntFunction<KernelView> probe;
  private final ToIntBiFunction<Object, KernelView> lingerOf;
  private final ListeningPorts listeningPorts;
  private final OutcomeCache outcomes;
  private final Reporter reporter;
  private final int stackDepth;
  private final int jdkFeature;
  private volatile JdkAsyncChannels jdk;

  /**
   * @param probe the kernel's view of a descriptor, or null (the dispatcher's probe choice)
   * @param lingerOf SO_LINGER of a socket: the kernel's when the probe read it, else off
   */
  AsyncChannelTeardowns(IntFunction<KernelView> probe, ToIntBiFunction<Object, KernelView> lingerOf,
      ListeningPorts listeningPorts, OutcomeCache outcomes, Reporter reporter,
      int stackDepth, int jdkFeature) {
    this.probe = probe;
    this.lingerOf = lingerOf;
    this.listeningPorts = listeningPorts;
    this.outcomes = outcomes;
    this.reporter = reporter;
    this.stackDepth = stackDepth;
    this.jdkFeature = jdkFeature;
  }

  /** One of the {@code ASYNC_*} hook events. */
  void on(int event, Object channel) throws ReflectiveOperationException {
    JdkAsyncChannels handles = handles();
    switch (event) {
      case ASYNC_CLOSE -> close(handles, channel);
      case ASYNC_SHUTDOWN_INPUT -> shutdown(handles, channel, TeardownCall.Op.SHUTDOWN_INPUT);
      case ASYNC_SHUTDOWN_OUTPUT -> shutdown(handles, channel, TeardownCall.Op.SHUTDOWN_OUTPUT);
      case ASYNC_LISTENING -> listeningPorts.add(handles.localPort(channel));
      default -> throw new IllegalArgumentException("not an asynchronous channel event: " + event);
    }
  }

  private JdkAsyncChannels handles() throws ReflectiveOperationException {
    JdkAsyncChannels made = jdk;
    if (made == null) {
      // Two first hooks may both make them: equal handles, either serves.
      made = JdkAsyncChannels.create();
      jdk = made;
    }
    return made;
  }

  /**
   * implClose(): {@code closed} is already set, once, and the descriptor is open until the
   * close(2) that follows this hook, so it is probed without a second check.
   */
  private void close(JdkAsyncChannels handles, Object channel) {
    KernelView kernel = probe.apply(handles.fd(channel));
    SocketSnapshot snapshot = handles.isSocketChannel(channel) ? snapshot(handles, channel, kernel)
        : Snapshots.listener(JavaApi.ASYNCHRONOUS_SERVER_SOCKET_CHANNEL, ChannelMode.NON_BLOCKING, jdkFeature, kernel);
    TeardownCall call = TeardownCall.of(TeardownCall.Op.CLOSE);
    report(handles, channel, call, snapshot, kernel, outcomes.predict(snapshot, call));
  }

  /**
   * A shutdown takes effect only on an open, connected channel: otherwise the JDK throws
   * (ClosedChannelException, NotYetConnectedException) and does nothing.
   */
  private void shutdown(JdkAsyncChannels handles, Object channel, TeardownCall.Op op) {
    if (handles.closed(channel) || handles.remote(channel) == null) {
      return;
    }
    KernelView kernel = probe.apply(handles.fd(channel));
    if (handles.closed(channel)) {
      return; // closed during the probe: the shutdown will throw, and the number may be reused
    }
    SocketSnapshot snapshot = snapshot(handles, channel, kernel);
    TeardownCall call = TeardownCall.of(op);
    report(handles, channel, call, snapshot, kernel, outcomes.predict(snapshot, call));
  }

  private SocketSnapshot snapshot(JdkAsyncChannels handles, Object channel, KernelView kernel) {
    return Snapshots.of(JavaApi.ASYNCHRONOUS_SOCKET_CHANNEL, ChannelMode.NON_BLOCKING, jdkFeature, kernel,
        handles.connected(channel), handles.inputShut(channel), handles.outputShut(channel),
        lingerOf.applyAsInt(channel, kernel));
  }

  /** Counts a teardown that reports nothing; builds the record of the others. */
  private void report(JdkAsyncChannels handles, Object channel, TeardownCall call, SocketSnapshot snapshot,
      KernelView kernel, Outcome outcome) {
    boolean serverSide = listeningPorts.contains(handles.localPort(channel));
    boolean wanted = reporter.wantsRecord(outcome);
    if (!wanted && !reporter.count(call, snapshot.api(), outcome, serverSide)) {
      return;
    }
    String api = handles.isSocketChannel(channel) ? SOCKET_API : SERVER_API;
    TeardownRecord record = new TeardownRecord(call, snapshot, kernel, outcome, handles.local(channel),
        handles.remote(channel), Instant.now(), Thread.currentThread().getName(), new LazyCallSite(api, stackDepth),
        serverSide);
    if (wanted) {
      reporter.record(record);
    } else {
      reporter.serverSideTimeWait(record);
    }
  }
}
