package io.teardownguard.agent.core;

import io.teardownguard.agent.observation.CallSiteSource;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.model.Finding;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.TeardownCall;
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
 * entry ever, the socket path pays one volatile read. This is the place where a model of the TLS
 * layer itself (what it reads and discards at close) would join the collected calls.
 */
final class NestedCalls {
  /** One open scope: the outer call, how deep, and the socket calls seen inside it. */
  private static final class Scope {
    final TeardownCall.Op op;
    int depth = 1;
    final List<TeardownRecord> inner = new ArrayList<>(3);

    Scope(TeardownCall.Op op) {
      this.op = op;
    }
  }

  private final ThreadLocal<Scope> scopes = new ThreadLocal<>();
  private volatile boolean everEntered;

  /** A hooked public entry point was entered on this thread. */
  void enter(TeardownCall.Op op) {
    everEntered = true;
    Scope scope = scopes.get();
    if (scope == null) {
      scopes.set(new Scope(op));
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
    return new TeardownRecord(outer, first.snapshot(), first.kernel(), outcome.withFindings(findings),
        first.local() != null ? first.local() : scope.inner.get(scope.inner.size() - 1).local(), first.remote(),
        first.time(), first.thread(), site, first.serverSide());
  }
}
