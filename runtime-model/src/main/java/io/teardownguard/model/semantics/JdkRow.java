package io.teardownguard.model.semantics;

import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.Syscall;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.rules.Citation;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * One row of the JDK layer: for these calls on sockets matching {@code when}, the JDK issues
 * {@code syscalls}.
 *
 * @param id a stable name, used by the docs and by the coverage check
 * @param name what the row says, for the derivation shown with each prediction
 * @param ops the calls it covers
 * @param when the sockets it covers
 * @param syscalls the syscalls issued, in order
 * @param citation the JDK method that does it
 */
record JdkRow(
    String id,
    String name,
    Set<TeardownCall.Op> ops,
    Predicate<SocketSnapshot> when,
    BiFunction<SocketSnapshot, TeardownCall, List<Syscall>> syscalls,
    Citation citation) {

  boolean matches(SocketSnapshot snapshot, TeardownCall call) {
    return ops.contains(call.op()) && when.test(snapshot);
  }
}
