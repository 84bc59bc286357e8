package io.teardownguard.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.agent.observation.CallSite;
import io.teardownguard.agent.observation.LazyCallSite;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short walk a repeated finding takes names the same site and API as the full one. In a
 * package outside the agent's, whose frames the walk skips: this class plays the application.
 */
class CallSiteTest {

  @Test
  void theSiteAloneIsTheFullWalksFirstFrameWithoutTheStack() {
    List<CallSite> both = bothFromOneLine();
    CallSite site = both.get(0);
    CallSite full = both.get(1);

    assertEquals(full.site(), site.site());
    assertEquals("java.net.Socket", site.api());
    assertEquals(full.api(), site.api());
    assertTrue(site.site().startsWith(CallSiteTest.class.getName() + ".bothFromOneLine("), site::site);
    assertEquals(List.of(), site.stack());
    assertEquals(full.site(), full.stack().get(0));
    assertTrue(full.stack().size() > 1, full.stack()::toString);
  }

  @Test
  void onceTheStackIsWalkedItAnswersBoth() {
    LazyCallSite lazy = new LazyCallSite("java.net.Socket", 8);
    CallSite full = lazy.get();
    assertSame(full, lazy.site());
  }

  /** Two call sites on one line: the same file and line for both walks. */
  private static List<CallSite> bothFromOneLine() {
    return List.of(new LazyCallSite("java.net.Socket", 8).site(), new LazyCallSite("java.net.Socket", 8).get());
  }
}
