package io.teardownguard.agent.core;

import io.teardownguard.agent.jdk.TlsSockets;
import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.tls.TlsSnapshot;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The entry of {@code SSLSocket.close()}: before the TLS layer sends close_notify and reads and
 * discards what came in, reads what it holds ({@link TlsSockets}) and the socket beneath as the
 * kernel has it, and opens the {@link NestedCalls} scope with them. The TLS handles are made at
 * the first TLS close, so an application without TLS never loads them.
 */
final class TlsCalls {
  /** The socket beneath at the call: what the probe read, and its addresses (the last inner call closes it). */
  record Beneath(SocketSnapshot snapshot, KernelView kernel, SocketAddress local, SocketAddress remote,
      boolean serverSide) {}

  /** What the TLS close found at its entry. */
  record AtCall(TlsSnapshot tls, Beneath beneath, Instant time, String thread) {}

  /** Reads the socket beneath (a {@code Socket}, or a channel's adaptor) as the hooks read theirs. */
  interface BeneathReader {
    /** Null when it no longer owns its descriptor. */
    Beneath read(Object socketBeneath) throws Throwable;
  }

  private final NestedCalls nested;
  private final BeneathReader beneath;
  private final AtomicLong errors;
  /** Made by the first TLS close; null until then, and after a failure (a JDK with other fields). */
  private volatile TlsSockets tls;
  private volatile boolean unreadable;

  /**
   * @param beneath reads the socket beneath
   * @param errors the agent's error count: a failed read is counted, and the close reported without it
   */
  TlsCalls(NestedCalls nested, BeneathReader beneath, AtomicLong errors) {
    this.nested = nested;
    this.beneath = beneath;
    this.errors = errors;
  }

  /** SSLSocketImpl.close() entered: the outermost entry reads the TLS layer, nested ones only deepen the scope. */
  void enterClose(Object sslSocket) {
    nested.enter(TeardownCall.Op.CLOSE, nested.inScope() ? null : atCall(sslSocket));
  }

  private AtCall atCall(Object sslSocket) {
    try {
      TlsSockets reader = reader();
      if (reader == null || !reader.isJdkTls(sslSocket)) {
        return null;
      }
      TlsSnapshot state = reader.read(sslSocket);
      Beneath socket = beneath.read(reader.socketBeneath(sslSocket));
      return socket == null ? null : new AtCall(state, socket, Instant.now(), Thread.currentThread().getName());
    } catch (Throwable t) {
      errors.incrementAndGet();
      return null; // unknown: the close is reported from the calls beneath alone
    }
  }

  private TlsSockets reader() {
    TlsSockets reader = tls;
    if (reader == null && !unreadable) {
      try {
        reader = TlsSockets.create();
        tls = reader;
      } catch (ReflectiveOperationException | RuntimeException e) {
        unreadable = true;
        errors.incrementAndGet();
      }
    }
    return reader;
  }
}
