package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The jar's command line as a user meets it: bad input gets one line naming what is accepted. */
@Timeout(120)
final class CommandLineIT {

  @Test
  void unknownOptionGetsOneLineNamingTheAcceptedOnesThenTheUsage() throws Exception {
    ChildJvm.Result run = ChildJvm.runJar(ChildJvm.jdk(17), 60, "conformance", "--jsn", "x.json");

    assertEquals(2, run.exitCode());
    List<String> lines = run.stderr().lines().toList();
    assertEquals(List.of(
        "teardown-guard: conformance: unknown option '--jsn'; accepted: --json FILE, --scenario NAME, --list",
        "usage: java -jar teardown-guard-agent.jar conformance [--json FILE] [--scenario NAME]... [--list]"), lines);
  }

  @Test
  void unknownScenarioIsRefusedBeforeAnythingRuns() throws Exception {
    ChildJvm.Result run = ChildJvm.runJar(ChildJvm.jdk(25), 60, "conformance", "--scenario", "no-such-thing");

    assertEquals(2, run.exitCode());
    assertTrue(run.stderr().startsWith("teardown-guard: conformance: unknown scenario 'no-such-thing'; --list shows them"),
        run.stderr());
    assertEquals("", run.stdout());
  }

  @Test
  void unknownCommandNamesTheCommandsThereAre() throws Exception {
    ChildJvm.Result run = ChildJvm.runJar(ChildJvm.jdk(17), 60, "conformanse");

    assertEquals(2, run.exitCode());
    assertTrue(run.stderr().startsWith("teardown-guard: unknown command 'conformanse'; accepted: conformance, samples\n"), run.stderr());
  }

  @Test
  void listNamesEveryRunAndASelectedScenarioRunsAlone() throws Exception {
    ChildJvm.Result list = ChildJvm.runJar(ChildJvm.jdk(17), 60, "conformance", "--list");
    assertEquals(0, list.exitCode());
    assertTrue(list.stdout().lines().count() >= 40, list.stdout());
    assertTrue(list.stdout().lines().anyMatch("unread-input-close[Socket]"::equals), list.stdout());

    ChildJvm.Result one = ChildJvm.runJar(ChildJvm.jdk(25), 120, "conformance", "--scenario", "unread-input-close[SocketChannel]");

    assertEquals(0, one.exitCode(), one.stdout() + one.stderr());
    assertTrue(one.stdout().contains("conformance: 1/1 scenarios agree"), one.stdout());
  }
}
