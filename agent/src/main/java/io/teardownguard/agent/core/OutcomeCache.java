package io.teardownguard.agent.core;

import io.teardownguard.model.SocketSnapshot;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The answers for snapshots outside {@link Snapshots}' table of plain ones (bytes queued, SO_LINGER
 * set, a listener's backlog): one map lookup by the snapshot instead of walking the model's
 * tables and building the outcome again; no key object is made for the lookup. Bounded: once
 * full, each is computed.
 */
final class OutcomeCache {
  static final int MAX_ENTRIES = 4096;

  private final Map<SocketSnapshot, Answers> answers = new ConcurrentHashMap<>();

  Answers answers(SocketSnapshot snapshot) {
    Answers known = answers.get(snapshot);
    if (known != null) {
      return known;
    }
    Answers made = new Answers(snapshot);
    if (answers.size() >= MAX_ENTRIES) {
      return made;
    }
    // putIfAbsent, not computeIfAbsent(snapshot, lambda): the lambda's spin fell in the first close.
    Answers raced = answers.putIfAbsent(snapshot, made);
    return raced != null ? raced : made;
  }
}
