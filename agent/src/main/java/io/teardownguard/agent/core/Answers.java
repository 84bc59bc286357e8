package io.teardownguard.agent.core;

import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.semantics.TeardownModel;

/**
 * One snapshot and the model's answers to the plain calls on it (close, the shutdowns), each
 * computed when first asked and kept: the model is a pure function of (snapshot, call). A
 * setSoLinger call, which carries its value, is computed each time: it is rare.
 */
final class Answers {
  private static final int OPS = TeardownCall.Op.values().length;

  private final SocketSnapshot snapshot;
  private final Outcome[] byOp = new Outcome[OPS];

  Answers(SocketSnapshot snapshot) {
    this.snapshot = snapshot;
  }

  SocketSnapshot snapshot() {
    return snapshot;
  }

  Outcome to(TeardownCall call) {
    if (call != TeardownCall.of(call.op())) {
      return TeardownModel.predict(snapshot, call);
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
