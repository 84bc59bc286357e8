package io.teardownguard.agent.core;

import io.teardownguard.model.Outcome;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.semantics.TeardownModel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model is a pure function of (snapshot, call), and almost every close of a busy server asks
 * it the same few questions (established, nothing unread, nothing unsent): one map lookup instead
 * of walking the tables and building the outcome again. Bounded: once full, it computes.
 */
final class OutcomeCache {
  static final int MAX_ENTRIES = 4096;

  private record Question(SocketSnapshot snapshot, TeardownCall call) {}

  private final Map<Question, Outcome> answers = new ConcurrentHashMap<>();

  Outcome predict(SocketSnapshot snapshot, TeardownCall call) {
    Question question = new Question(snapshot, call);
    Outcome known = answers.get(question);
    if (known != null) {
      return known;
    }
    Outcome outcome = TeardownModel.predict(snapshot, call);
    if (answers.size() < MAX_ENTRIES) {
      answers.putIfAbsent(question, outcome);
    }
    return outcome;
  }
}
