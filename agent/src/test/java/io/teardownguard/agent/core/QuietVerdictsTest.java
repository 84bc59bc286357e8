package io.teardownguard.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.agent.observation.OutcomeClass;
import io.teardownguard.agent.probe.KernelView;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Linger;
import io.teardownguard.model.TcpState;
import io.teardownguard.model.TeardownCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verdicts the agent reads from its jar (built by {@link QuietVerdictsBuilder} in
 * process-classes) against the model asked now, and what the hooks' facts select from them.
 */
final class QuietVerdictsTest {
  private static final TeardownCall CLOSE = TeardownCall.of(TeardownCall.Op.CLOSE);
  private static final boolean[] FLAGS = {false, true};

  /** A stale or misread resource, or an index that two fact sets share, fails here. */
  @ParameterizedTest
  @ValueSource(ints = {17, 21, 25, 26})
  void everyVerdictInTheJarIsTheModelsAnswerNow(int jdkFeature) {
    QuietVerdicts read = QuietVerdicts.forFeature(jdkFeature);
    byte[] now = QuietVerdictsBuilder.table(jdkFeature);
    int quiet = 0;
    for (JavaApi api : JavaApi.values()) {
      for (ChannelMode mode : ChannelMode.values()) {
        for (TcpState state : TcpState.values()) {
          for (boolean connected : FLAGS) {
            for (boolean inputShut : FLAGS) {
              for (boolean outputShut : FLAGS) {
                for (TeardownCall.Op op : TeardownCall.Op.values()) {
                  int verdict = read.verdict(api, mode, state, connected, inputShut, outputShut, op);
                  assertEquals(now[QuietVerdicts.index(api, mode, state, connected, inputShut, outputShut, op)] & 0xff,
                      verdict, () -> api + " " + mode + " " + state + " " + op);
                  quiet += QuietVerdicts.isQuiet(verdict) ? 1 : 0;
                }
              }
            }
          }
        }
      }
    }
    assertTrue(quiet > 1000, "quiet verdicts: " + quiet);
  }

  @Test
  void theIndexNamesEachFactSetOnce() {
    boolean[] seen = new boolean[QuietVerdicts.SIZE];
    for (JavaApi api : JavaApi.values()) {
      for (ChannelMode mode : ChannelMode.values()) {
        for (TcpState state : TcpState.values()) {
          for (boolean connected : FLAGS) {
            for (boolean inputShut : FLAGS) {
              for (boolean outputShut : FLAGS) {
                for (TeardownCall.Op op : TeardownCall.Op.values()) {
                  int index = QuietVerdicts.index(api, mode, state, connected, inputShut, outputShut, op);
                  assertFalse(seen[index], () -> "twice: " + index);
                  seen[index] = true;
                }
              }
            }
          }
        }
      }
    }
  }

  /** RFC 9293 section 3.6: the side that closes first sends FIN and holds TIME_WAIT; the other does not. */
  @Test
  void closingFirstIsAQuietFinHoldingTimeWaitAndClosingSecondIsAQuietFin() {
    QuietVerdicts verdicts = QuietVerdicts.forFeature(Runtime.version().feature());

    int first = Snapshots.verdict(verdicts, JavaApi.SOCKET, ChannelMode.BLOCKING, kernel(TcpState.ESTABLISHED, 0),
        true, false, false, Linger.OFF, CLOSE);
    int second = Snapshots.verdict(verdicts, JavaApi.SOCKET_CHANNEL, ChannelMode.NON_BLOCKING,
        kernel(TcpState.CLOSE_WAIT, 0), true, false, false, Linger.OFF, CLOSE);

    assertTrue(QuietVerdicts.isQuiet(first));
    assertEquals(OutcomeClass.FIN, QuietVerdicts.outcomeClass(first));
    assertTrue(QuietVerdicts.localTimeWait(first));
    assertTrue(QuietVerdicts.isQuiet(second));
    assertEquals(OutcomeClass.FIN, QuietVerdicts.outcomeClass(second));
    assertFalse(QuietVerdicts.localTimeWait(second));
  }

  @Test
  void anythingButThePlainFactsGoesToTheModel() {
    QuietVerdicts verdicts = QuietVerdicts.forFeature(Runtime.version().feature());
    KernelView established = kernel(TcpState.ESTABLISHED, 0);

    assertEquals(QuietVerdicts.MODEL, Snapshots.verdict(verdicts, JavaApi.SOCKET, ChannelMode.BLOCKING,
        kernel(TcpState.ESTABLISHED, 100), true, false, false, Linger.OFF, CLOSE), "unread bytes");
    assertEquals(QuietVerdicts.MODEL, Snapshots.verdict(verdicts, JavaApi.SOCKET, ChannelMode.BLOCKING,
        established, true, false, false, 0, CLOSE), "SO_LINGER 0");
    assertEquals(QuietVerdicts.MODEL, Snapshots.verdict(verdicts, JavaApi.SOCKET, ChannelMode.BLOCKING,
        established, true, false, false, Linger.OFF, TeardownCall.setSoLinger(0)), "a setSoLinger call");
    assertEquals(QuietVerdicts.MODEL, Snapshots.verdict(verdicts, JavaApi.SERVER_SOCKET, ChannelMode.BLOCKING,
        listener(2), false, false, false, Linger.OFF, CLOSE), "a listener with a backlog");
    assertTrue(QuietVerdicts.isQuiet(Snapshots.verdict(verdicts, JavaApi.SERVER_SOCKET, ChannelMode.BLOCKING,
        listener(0), false, false, false, Linger.OFF, CLOSE)), "an empty listener");
  }

  @Test
  void aReleaseTheJarHasNoTableForGoesToTheModel() {
    QuietVerdicts none = QuietVerdicts.forFeature(16);

    assertEquals(QuietVerdicts.MODEL, none.verdict(JavaApi.SOCKET, ChannelMode.BLOCKING, TcpState.ESTABLISHED, true,
        false, false, TeardownCall.Op.CLOSE));
  }

  /** As the quiet probe reads a socket: the queues, not the bytes in flight. */
  private static KernelView kernel(TcpState state, long unread) {
    return new KernelView(state, unread, 0, KernelView.UNKNOWN, KernelView.UNKNOWN, 0, -1);
  }

  private static KernelView listener(int acceptQueue) {
    return new KernelView(TcpState.LISTEN, 0, 0, KernelView.UNKNOWN, KernelView.UNKNOWN, acceptQueue, -1);
  }
}
