package io.teardownguard.agent.core;

import io.teardownguard.agent.instrumentation.HookEvent;
import io.teardownguard.model.TeardownCall;
import java.net.StandardSocketOptions;

/**
 * The hooks in Netty's {@code io.netty.channel.unix}
 * ({@link io.teardownguard.agent.instrumentation.NettyNativeInstrumentation}) turned into typed
 * calls on the one observe path, through {@link NettySocketView}: its close, its shutdowns, its
 * SO_LINGER, and the ports its listeners bind.
 */
final class NettyTeardowns {
  private static final TeardownCall CLOSE = TeardownCall.of(TeardownCall.Op.CLOSE);
  private static final TeardownCall SHUTDOWN_INPUT = TeardownCall.of(TeardownCall.Op.SHUTDOWN_INPUT);
  private static final TeardownCall SHUTDOWN_OUTPUT = TeardownCall.of(TeardownCall.Op.SHUTDOWN_OUTPUT);

  private final SocketView view = new NettySocketView();
  private final Observer observer;
  private final Observer.Sink sink;
  private final ListeningPorts listeningPorts;

  NettyTeardowns(Observer observer, Observer.Sink sink, ListeningPorts listeningPorts) {
    this.observer = observer;
    this.sink = sink;
    this.listeningPorts = listeningPorts;
  }

  /** One of the {@code NETTY_*} hook events. */
  void on(int event, Object socket, Object name, Object value) throws Throwable {
    switch (event) {
      case HookEvent.NETTY_CLOSE -> observer.observe(view, socket, CLOSE, sink);
      case HookEvent.NETTY_SHUTDOWN -> shutdown(socket, (Boolean) name, (Boolean) value);
      case HookEvent.NETTY_LINGER_SET -> {
        if (view.ownsDescriptor(socket) && observer.lingerSet(socket, StandardSocketOptions.SO_LINGER, name)) {
          observer.observe(view, socket, TeardownCall.setSoLinger(observer.lingerSetBy(socket)), sink);
        }
      }
      case HookEvent.NETTY_LISTENING -> {
        if (view.ownsDescriptor(socket)) {
          listeningPorts.add(view.localPort(socket));
        }
      }
      default -> throw new IllegalArgumentException("not a Netty hook event: " + event);
    }
  }

  /**
   * {@code Socket.shutdown(read, write)} shuts only what is not shut yet (and does nothing when
   * that is nothing); its system call is shutdown(2) with both flags, SHUT_RDWR when both, where
   * the kernel sends its FIN for the write side alone: reported as shutdownOutput, then
   * shutdownInput.
   */
  private void shutdown(Object socket, boolean read, boolean write) throws Throwable {
    if (!view.ownsDescriptor(socket)) {
      return;
    }
    boolean output = write && !view.outputShut(socket);
    boolean input = read && !view.inputShut(socket);
    if (output) {
      observer.observe(view, socket, SHUTDOWN_OUTPUT, sink);
    }
    if (input) {
      observer.observe(view, socket, SHUTDOWN_INPUT, sink);
    }
  }
}
