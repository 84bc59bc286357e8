package io.teardownguard.agent.core;

import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.semantics.TeardownModel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model is a pure function of (snapshot, call), and almost every close of a busy server asks
 * it the same few questions (established, nothing unread, nothing unsent): one map lookup by the
 * snapshot, then the op's slot, instead of walking the tables and building the outcome again; no
 * key object is made for the lookup. Bounded: once full, it computes. A setSoLinger call (which
 * carries its value) is computed each time: it is rare.
 */
final class OutcomeCache {
  static final int MAX_ENTRIES = 4096;
  private static final int OPS = TeardownCall.Op.values().length;

  private final Map<SocketSnapshot, Outcome[]> answers = new ConcurrentHashMap<>();

  Outcome predict(SocketSnapshot snapshot, TeardownCall call) {
    if (call != TeardownCall.of(call.op())) {
      return TeardownModel.predict(snapshot, call);
    }
    Outcome[] byOp = answers.get(snapshot);
    if (byOp == null) {
      if (answers.size() >= MAX_ENTRIES) {
        return TeardownModel.predict(snapshot, call);
      }
      // putIfAbsent, not computeIfAbsent(snapshot, lambda): the lambda's spin fell in the first close.
      Outcome[] made = new Outcome[OPS];
      Outcome[] raced = answers.putIfAbsent(snapshot, made);
      byOp = raced != null ? raced : made;
    }
    Outcome known = byOp[call.op().ordinal()];
    if (known == null) {
      // Two threads may both compute it: the same immutable value (its fields are final), either is right.
      known = TeardownModel.predict(snapshot, call);
      byOp[call.op().ordinal()] = known;
    }
    return known;
  }
}
