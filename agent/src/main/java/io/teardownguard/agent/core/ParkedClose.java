package io.teardownguard.agent.core;

import io.teardownguard.agent.observation.DecidedAt;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.agent.report.Reporter;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.SocketSnapshot;
import io.teardownguard.model.semantics.DeferredClose;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;

/**
 * A registered channel's close, waiting for its Selector: the teardown as read at close(), with
 * its call site and addresses, completed by the model's {@link DeferredClose} when the socket is
 * read again at kill() or at exit.
 */
final class ParkedClose extends DeferredCloses.Pending {
  private final SocketView view;
  private final Object channel;
  /** The descriptor number at close(): kill() closes it; the channel no longer says it by then. */
  private final int fd;
  private final TeardownRecord atCall;
  private final Observer observer;
  private final Reporter reporter;

  ParkedClose(SocketView view, Object channel, int fd, TeardownRecord atCall, Selector selector, Observer observer,
      Reporter reporter) {
    super(selector);
    this.view = view;
    this.channel = channel;
    this.fd = fd;
    this.atCall = atCall;
    this.observer = observer;
    this.reporter = reporter;
  }

  /**
   * Parks the close of {@code channel} with {@code deferred} for the Selector it is registered
   * with; false when {@code deferred} takes no more (the caller reports it now). Here, not in the
   * dispatcher: the verifier loads both classes to check a ParkedClose passed as a Pending, and
   * the dispatcher is verified in every JVM, most of which never park a close (issue 14).
   */
  static boolean park(DeferredCloses deferred, SocketView view, Object channel, int fd, TeardownRecord atCall,
      Observer observer, Reporter reporter) {
    return deferred.park(channel,
        new ParkedClose(view, channel, fd, atCall, deferred.selectorOf(channel), observer, reporter));
  }

  /** kill() is about to close(2): the socket is read again, as that close finds it. */
  @Override
  void released() {
    SocketSnapshot now = readAgain();
    reporter.record(atCall.decided(DeferredClose.released(atCall.outcome(), now),
        now == null ? DecidedAt.CALL : DecidedAt.RELEASE));
  }

  /** The kernel closes the descriptor when the process ends: read as exit finds it. */
  @Override
  void abandoned(DeferredCloses.Abandoned why, long pendingNanos) {
    var finding = why.finding()
        ? DeferredClose.neverReleased(why == DeferredCloses.Abandoned.SELECTOR_NOT_WOKEN,
            TimeUnit.NANOSECONDS.toMillis(pendingNanos))
        : null;
    reporter.record(atCall.decided(DeferredClose.closedAtExit(atCall.outcome(), readAgain(), finding), DecidedAt.EXIT));
  }

  private SocketSnapshot readAgain() {
    return fd < 0 ? null : observer.readAgain(view, channel, fd, ChannelMode.NON_BLOCKING);
  }
}
