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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  /** One combination of the facts a verdict is indexed by. */
  private record Facts(JavaApi api, ChannelMode mode, TcpState state, boolean connected, boolean inputShut,
      boolean outputShut, TeardownCall.Op op) {
    int index() {
      return QuietVerdicts.index(api, mode, state, connected, inputShut, outputShut, op);
    }

    int verdictIn(QuietVerdicts verdicts) {
      return verdicts.verdict(api, mode, state, connected, inputShut, outputShut, op);
    }
  }

  private static List<Facts> everyFactSet() {
    List<Facts> all = new ArrayList<>();
    for (JavaApi api : JavaApi.values()) {
      for (ChannelMode mode : ChannelMode.values()) {
        for (TcpState state : TcpState.values()) {
          for (boolean connected : FLAGS) {
            for (boolean inputShut : FLAGS) {
              for (boolean outputShut : FLAGS) {
                for (TeardownCall.Op op : TeardownCall.Op.values()) {
                  all.add(new Facts(api, mode, state, connected, inputShut, outputShut, op));
                }
              }
            }
          }
        }
      }
    }
    return all;
  }

  /** A stale or misread resource, or an index that two fact sets share, fails here. */
  @ParameterizedTest
  @ValueSource(ints = {17, 21, 25, 26})
  void everyVerdictInTheJarIsTheModelsAnswerNow(int jdkFeature) {
    QuietVerdicts read = QuietVerdicts.forFeature(jdkFeature);
    byte[] now = QuietVerdictsBuilder.table(jdkFeature);
    int quiet = 0;
    for (Facts facts : everyFactSet()) {
      int verdict = facts.verdictIn(read);
      assertEquals(now[facts.index()] & 0xff, verdict, facts::toString);
      quiet += QuietVerdicts.isQuiet(verdict) ? 1 : 0;
    }
    assertTrue(quiet > 1000, "quiet verdicts: " + quiet);
  }

  @Test
  void theIndexNamesEachFactSetOnce() {
    List<Facts> all = everyFactSet();
    Set<Integer> indexes = new HashSet<>();
    for (Facts facts : all) {
      assertTrue(indexes.add(facts.index()), () -> "twice: " + facts);
    }
    assertEquals(QuietVerdicts.SIZE, all.size());
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
