package io.teardownguard.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each parked close is reported exactly once, whichever of the Selector's release and the exit
 * drain claims it; and a close still waiting at exit is a finding only where no select would
 * release it.
 */
final class DeferredClosesTest {

  /** Counts how a close was completed. */
  private static final class Counted extends DeferredCloses.Pending {
    final AtomicInteger released = new AtomicInteger();
    final AtomicInteger abandoned = new AtomicInteger();

    Counted() {
      super(null);
    }

    @Override
    void released() {
      released.incrementAndGet();
      Thread.yield(); // a report takes time: let the other side run meanwhile
    }

    @Override
    void abandoned(DeferredCloses.Abandoned why, long pendingNanos) {
      abandoned.incrementAndGet();
      Thread.yield();
    }
  }

  @Test
  @Timeout(60)
  void aReleaseRacingTheExitDrainIsReportedOnce() throws Exception {
    for (int round = 0; round < 50; round++) {
      DeferredCloses closes = new DeferredCloses(new SelectorState());
      List<Object> channels = new ArrayList<>();
      List<Counted> parked = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        Object channel = new Object();
        Counted close = new Counted();
        assertTrue(closes.park(channel, close));
        channels.add(channel);
        parked.add(close);
      }
      // The Selector's thread releases from the last parked, the drain claims from the first.
      CountDownLatch releasing = new CountDownLatch(1);
      Thread selector = new Thread(() -> {
        for (int i = channels.size() - 1; i >= 0; i--) {
          closes.release(channels.get(i));
          releasing.countDown();
        }
      });
      selector.start();
      releasing.await();
      closes.abandonAll();
      selector.join(10_000);
      for (Counted close : parked) {
        assertEquals(1, close.released.get() + close.abandoned.get(), "round " + round);
      }
    }
  }

  @Test
  void aCloseParkedOnceTheDrainBeganIsReportedAtOnce() throws Exception {
    DeferredCloses closes = new DeferredCloses(new SelectorState());
    closes.abandonAll();
    assertFalse(closes.park(new Object(), new Counted()));
  }

  @Test
  void aSelectorNobodySelectsOnIsAFinding() throws Exception {
    DeferredCloses closes = new DeferredCloses(new SelectorState());
    try (Selector selector = Selector.open()) {
      assertEquals(DeferredCloses.Abandoned.NO_SELECT, closes.why(selector, 0));
    }
  }

  @Test
  @Timeout(30)
  void aThreadBlockedInSelectIsARaceWithExitUntilTheCloseIsStale() throws Exception {
    DeferredCloses closes = new DeferredCloses(new SelectorState());
    SelectorState state = new SelectorState();
    try (Selector selector = Selector.open()) {
      Thread loop = new Thread(() -> {
        try {
          selector.select();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      loop.start();
      for (int i = 0; i < 1_000 && !state.selecting(selector); i++) {
        TimeUnit.MILLISECONDS.sleep(5);
      }
      assertEquals(DeferredCloses.Abandoned.RACED_EXIT, closes.why(selector, TimeUnit.MILLISECONDS.toNanos(5)));
      assertEquals(DeferredCloses.Abandoned.SELECTOR_NOT_WOKEN, closes.why(selector, DeferredCloses.STALE_NANOS));
      selector.wakeup();
      loop.join(10_000);
    }
  }

  @Test
  void aClosedSelectorReleasesItsChannelsItself() throws Exception {
    DeferredCloses closes = new DeferredCloses(new SelectorState());
    Selector selector = Selector.open();
    selector.close();
    assertEquals(DeferredCloses.Abandoned.SELECTOR_CLOSED, closes.why(selector, DeferredCloses.STALE_NANOS));
  }

}
