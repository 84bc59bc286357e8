package io.teardownguard.model.semantics;

import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.Syscall;
import io.teardownguard.model.TeardownCall;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDK's own layer: which syscalls each Java teardown call issues before the kernel sees
 * anything. Read from {@code sun.nio.ch} of JDK 17 and 25 and checked with strace; they differ in
 * one row (NioSocketImpl's shutdown before close). Rows ({@link JdkRow}) are tried in order; the
 * first that matches decides.
 */
public final class JdkLayer {
  /** values() copies its array at each call: read once. */
  private static final JdkRow[] ROWS = JdkRow.values();

  private JdkLayer() {}

  /** The syscalls the JDK issues for {@code call} on {@code snapshot}, in order. */
  public static List<Syscall> syscalls(SocketSnapshot snapshot, TeardownCall call) {
    return row(snapshot, call).syscalls(snapshot, call);
  }

  /** The rows' ids, in order, for the docs and the coverage check. */
  public static List<String> rowIds() {
    List<String> ids = new ArrayList<>(ROWS.length);
    for (JdkRow row : ROWS) {
      ids.add(row.id());
    }
    return ids;
  }

  static JdkRow row(SocketSnapshot snapshot, TeardownCall call) {
    for (JdkRow row : ROWS) {
      if (row.matches(snapshot, call)) {
        return row;
      }
    }
    throw new IllegalStateException("no JDK row for " + call + " on " + snapshot);
  }
}
