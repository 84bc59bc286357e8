package io.teardownguard.it;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.teardownguard.it.support.GuardedTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The JUnit 5 extension in the test JVM itself: it installs the agent in-process (self-attach),
 * fails a test that made an unsafe teardown, passes a safe one, and only reports when asked to.
 */
@Timeout(120)
final class JUnitExtensionIT {

  @Test
  void failsATestThatResetsAConnection() {
    EngineTestKit.engine("junit-jupiter").selectors(selectClass(GuardedTests.Unsafe.class)).execute()
        .testEvents()
        .assertThatEvents()
        .haveExactly(1, event(test("closesWithUnreadRequest"), finishedWithFailure(
            instanceOf(AssertionError.class),
            message(m -> m.contains("CLOSE_WITH_UNREAD_DATA") && m.contains("GuardedTests.exchange(")))));
  }

  @Test
  void passesATestThatDrainsBeforeClosing() {
    EngineTestKit.engine("junit-jupiter").selectors(selectClass(GuardedTests.Safe.class)).execute()
        .testEvents()
        .assertStatistics(stats -> stats.succeeded(1).failed(0));
  }

  @Test
  void reportOnlyDoesNotFail() {
    EngineTestKit.engine("junit-jupiter").selectors(selectClass(GuardedTests.ReportOnly.class)).execute()
        .testEvents()
        .assertThatEvents()
        .haveExactly(1, event(test("closesWithUnreadRequest"), finishedSuccessfully()));
  }
}
