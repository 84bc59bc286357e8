package io.teardownguard.agent.core;

import io.teardownguard.agent.observation.OutcomeClass;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.agent.jdk.AgentJar;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The model's verdicts on the plain teardowns (queues empty, SO_LINGER off, no backlog: almost
 * every one), computed when the agent is built ({@link QuietVerdictsBuilder}) and read here from
 * the jar ({@link AgentJar}, not through the class loader's resource lookup): one byte per (api,
 * mode, state, connected, input shut, output shut, call). A close that the model says finds
 * nothing and loses nothing is counted from its byte, so the model's classes (28 of them) load
 * and its first prediction runs only at the first teardown worth a record (issue 14,
 * docs/performance.md). {@code QuietVerdictsTest} checks every byte against the model.
 *
 * <p>The resource: the first and last JDK feature release covered (two ints), then for each of
 * them the number of its table (a byte: releases the model treats alike share one), the number
 * of tables (an int), and the tables, {@link #SIZE} bytes each.
 */
final class QuietVerdicts {
  static final String RESOURCE = "quiet-verdicts.bin";
  /** The model decides: a finding, lost bytes, or a combination it does not take. */
  static final int MODEL = 0;

  private static final int QUIET = 0x80;
  private static final int LOCAL_TIME_WAIT = 0x04;
  private static final int OUTCOME_CLASS = 0x03;
  /** values() copies its array at each call: the counts are read once. */
  private static final OutcomeClass[] OUTCOME_CLASSES = OutcomeClass.values();
  private static final int OPS = TeardownCall.Op.values().length;
  private static final int STATES = TcpState.values().length;
  private static final int MODES = ChannelMode.values().length;
  /** How many combinations of the facts there are ({@link #facts}). */
  static final int FACTS = JavaApi.values().length * MODES * STATES * 8;
  static final int SIZE = FACTS * OPS;

  private final byte[] verdicts;

  private QuietVerdicts(byte[] verdicts) {
    this.verdicts = verdicts;
  }

  /**
   * The verdicts for this JDK release, or none (every teardown then goes to the model) when the
   * jar has none for it.
   */
  static QuietVerdicts forFeature(int jdkFeature) {
    try {
      byte[] resource = AgentJar.read(QuietVerdicts.class.getPackageName().replace('.', '/') + "/" + RESOURCE);
      return new QuietVerdicts(resource == null ? null : table(ByteBuffer.wrap(resource), jdkFeature));
    } catch (IOException | BufferUnderflowException e) {
      return new QuietVerdicts(null);
    }
  }

  private static byte[] table(ByteBuffer resource, int jdkFeature) {
    int first = resource.getInt();
    int last = resource.getInt();
    byte[] tableOf = new byte[last - first + 1];
    resource.get(tableOf);
    int tables = resource.getInt();
    if (jdkFeature < first || jdkFeature > last) {
      return null;
    }
    int table = tableOf[jdkFeature - first];
    if (table < 0 || table >= tables) {
      return null;
    }
    byte[] verdicts = new byte[SIZE];
    resource.position(resource.position() + table * SIZE).get(verdicts);
    return verdicts;
  }

  /** The verdict on {@code op} for these facts: {@link #MODEL} or a quiet one. */
  int verdict(JavaApi api, ChannelMode mode, TcpState state, boolean connected, boolean inputShut,
      boolean outputShut, TeardownCall.Op op) {
    return verdicts == null ? MODEL
        : verdicts[index(api, mode, state, connected, inputShut, outputShut, op)] & 0xff;
  }

  static int index(JavaApi api, ChannelMode mode, TcpState state, boolean connected, boolean inputShut,
      boolean outputShut, TeardownCall.Op op) {
    return facts(api, mode, state, connected, inputShut, outputShut) * OPS + op.ordinal();
  }

  /** The number of these facts, below {@link #FACTS}. */
  static int facts(JavaApi api, ChannelMode mode, TcpState state, boolean connected, boolean inputShut,
      boolean outputShut) {
    return ((((api.ordinal() * MODES + mode.ordinal()) * STATES + state.ordinal()) * 2
        + (connected ? 1 : 0)) * 2 + (inputShut ? 1 : 0)) * 2 + (outputShut ? 1 : 0);
  }

  static int quiet(OutcomeClass outcome, boolean localTimeWait) {
    return QUIET | (localTimeWait ? LOCAL_TIME_WAIT : 0) | outcome.ordinal();
  }

  static boolean isQuiet(int verdict) {
    return (verdict & QUIET) != 0;
  }

  static OutcomeClass outcomeClass(int verdict) {
    return OUTCOME_CLASSES[verdict & OUTCOME_CLASS];
  }

  static boolean localTimeWait(int verdict) {
    return (verdict & LOCAL_TIME_WAIT) != 0;
  }
}
