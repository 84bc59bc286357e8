package io.teardownguard.model;

import java.util.Objects;

/**
 * A teardown call the application makes.
 *
 * @param op which call
 * @param lingerSeconds for {@link Op#SET_SO_LINGER}, the value set ({@link Linger#OFF} for off)
 */
public record TeardownCall(Op op, int lingerSeconds) {

  /** The calls the model knows; {@link #reportName()} is the name other tools read. */
  public enum Op {
    CLOSE("close"),
    SHUTDOWN_INPUT("shutdownInput"),
    SHUTDOWN_OUTPUT("shutdownOutput"),
    SET_SO_LINGER("setSoLinger"),
    /** {@code socket.getInputStream().close()}, which closes the socket. */
    CLOSE_INPUT_STREAM("close"),
    /** {@code socket.getOutputStream().close()}, which closes the socket. */
    CLOSE_OUTPUT_STREAM("close");

    private final String reportName;

    Op(String reportName) {
      this.reportName = reportName;
    }

    public String reportName() {
      return reportName;
    }
  }

  public TeardownCall {
    Objects.requireNonNull(op, "op");
  }

  /** The call for {@code op} with nothing set: one instance per op, made once (a hook asks for it at every teardown). */
  public static TeardownCall of(Op op) {
    return Plain.BY_OP[op.ordinal()];
  }

  private static final class Plain {
    static final TeardownCall[] BY_OP = new TeardownCall[Op.values().length];

    static {
      for (Op op : Op.values()) {
        BY_OP[op.ordinal()] = new TeardownCall(op, Linger.OFF);
      }
    }

    private Plain() {}
  }

  public static TeardownCall setSoLinger(int seconds) {
    return new TeardownCall(Op.SET_SO_LINGER, seconds);
  }

  public boolean closesSocket() {
    return op == Op.CLOSE || op == Op.CLOSE_INPUT_STREAM || op == Op.CLOSE_OUTPUT_STREAM;
  }

  /** The report name, which tells a listener's close apart ({@code listenerClose}). */
  public String reportName(SocketSnapshot on) {
    return closesSocket() && on.api().isListener() ? "listenerClose" : op.reportName();
  }
}
