package io.teardownguard.agent.core;

import io.teardownguard.agent.observation.CallSiteSource;
import io.teardownguard.agent.observation.DecidedAt;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.model.Condition;
import io.teardownguard.model.Finding;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.tls.TlsClose;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The calls a JDK library makes on a socket inside one public teardown call of its own, collected
 * into that one call. {@code SSLSocket.close()} sends close_notify, then calls shutdownOutput(),
 * shutdownInput() and close() on the socket beneath (sun.security.ssl.SSLSocketImpl): the
 * application made one call, so the report shows one teardown, at the application's line, with
 * the wire of all of them; the shutdowns the library chose have no findings of their own.
 *
 * <p>A thread-local scope opens at the outermost hooked entry and closes when it returns or
 * throws; nested entries (a stream's close() calling close()) only deepen it. Until the first
 * entry ever, the socket path pays one volatile read. A TLS close also carries what the TLS layer
 * held at its entry ({@link TlsCalls}): the model's TLS part ({@link TlsClose}) joins the calls
 * collected, and a close that made none (a layered socket without autoClose) is reported from it.
 */
final class NestedCalls {
  /** One open scope: the outer call, how deep, the socket calls seen inside it, what the TLS layer held. */
  private static final class Scope {
    final TeardownCall.Op op;
    final TlsCalls.AtCall tls;
    int depth = 1;
    final List<TeardownRecord> inner = new ArrayList<>(3);

    Scope(TeardownCall.Op op, TlsCalls.AtCall tls) {
      this.op = op;
      this.tls = tls;
    }
  }

  private final ThreadLocal<Scope> scopes = new ThreadLocal<>();
  private volatile boolean everEntered;

  /** A hooked public entry point was entered on this thread. */
  void enter(TeardownCall.Op op) {
    enter(op, null);
  }

  /** The same, with what the TLS layer held when an outermost TLS close began (null: not read). */
  void enter(TeardownCall.Op op, TlsCalls.AtCall tls) {
    everEntered = true;
    Scope scope = scopes.get();
    if (scope == null) {
      scopes.set(new Scope(op, tls));
    } else {
      scope.depth++;
    }
  }

  /** Whether a teardown call on this thread now is made inside a hooked public entry point. */
  boolean inScope() {
    return everEntered && scopes.get() != null;
  }

  /**
   * Takes {@code record} into the scope open on this thread, if there is one.
   *
   * @return whether it was taken (else the caller reports it as the application's own call)
   */
  boolean collect(TeardownRecord record) {
    Scope scope = everEntered ? scopes.get() : null;
    if (scope == null) {
      return false;
    }
    scope.inner.add(record);
    return true;
  }

  /**
   * The entered method returned or threw; at the outermost, the collected calls become one
   * record for {@code report}, with the application's call site.
   */
  void exit(CallSiteSource site, Consumer<TeardownRecord> report) {
    Scope scope = scopes.get();
    if (scope == null || --scope.depth > 0) {
      return;
    }
    scopes.remove();
    if (!scope.inner.isEmpty()) {
      report.accept(merge(scope, site));
    } else if (scope.tls != null) {
      report.accept(tlsAlone(scope.tls, site));
    }
  }

  /**
   * One record for the outer call: the socket as the first inner call found it, the outcomes in
   * order, and only the findings of inner calls of the same kind as the outer one (the close(2)
   * of a close, the shutdown of a shutdown): the others were the library's choice.
   */
  private static TeardownRecord merge(Scope scope, CallSiteSource site) {
    TeardownCall outer = TeardownCall.of(scope.op);
    TeardownRecord first = scope.inner.get(0);
    Outcome outcome = null;
    List<Finding> findings = new ArrayList<>();
    for (TeardownRecord inner : scope.inner) {
      if (inner.call().op() == scope.op) {
        findings.addAll(inner.outcome().findings());
      }
      outcome = outcome == null ? inner.outcome() : outcome.followedBy(inner.outcome());
    }
    outcome = outcome.withFindings(findings);
    if (scope.tls != null) {
      outcome = TlsClose.withTlsLayer(outcome, scope.tls.tls(), scope.tls.beneath().snapshot());
    }
    return new TeardownRecord(outer, first.snapshot(), first.kernel(), outcome,
        first.local() != null ? first.local() : scope.inner.get(scope.inner.size() - 1).local(), first.remote(),
        first.time(), first.thread(), site, first.serverSide(), decidedAt(outcome));
  }

  /** A TLS close that made no call on the socket beneath: the model's TLS close on the socket as it was. */
  private static TeardownRecord tlsAlone(TlsCalls.AtCall tls, CallSiteSource site) {
    TlsCalls.Beneath beneath = tls.beneath();
    Outcome outcome = TlsClose.predict(tls.tls(), beneath.snapshot());
    return new TeardownRecord(TeardownCall.of(TeardownCall.Op.CLOSE), beneath.snapshot(), beneath.kernel(), outcome,
        beneath.local(), beneath.remote(), tls.time(), tls.thread(), site, beneath.serverSide(), decidedAt(outcome));
  }

  private static DecidedAt decidedAt(Outcome outcome) {
    return outcome.conditions().contains(Condition.PEER_ANSWERS_CLOSE_NOTIFY) ? DecidedAt.TLS_CLOSE : DecidedAt.CALL;
  }
}
