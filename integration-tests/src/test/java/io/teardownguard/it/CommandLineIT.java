package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.agent.config.Option;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        "teardown-guard: conformance: unknown option '--jsn'; accepted: --link veth, --json FILE, --scenario NAME, --list",
        "usage: java -jar teardown-guard-agent.jar conformance [--link veth] [--json FILE] [--scenario NAME]... [--list]"),
        lines);
  }

  @Test
  void anUnknownLinkGetsOneLineNamingTheOneThereIs() throws Exception {
    ChildJvm.Result run = ChildJvm.runJar(ChildJvm.jdk(25), 60, "conformance", "--link", "netem");

    assertEquals(2, run.exitCode());
    assertEquals("teardown-guard: conformance: option --link takes one value; accepted: veth",
        run.stderr().lines().findFirst().orElse(""));
    assertEquals("", run.stdout());
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
  void noCommandShowsHowToLoadTheAgentItsOptionsAndTheCommands() throws Exception {
    ChildJvm.Result run = ChildJvm.runJar(ChildJvm.jdk(17), 60);

    assertEquals(2, run.exitCode(), "a command line that names no command is a usage error");
    assertEquals("", run.stderr());
    assertShowsTheAgentsUse(run.stdout());
  }

  @Test
  void helpShowsTheSameAndSucceeds() throws Exception {
    ChildJvm.Result none = ChildJvm.runJar(ChildJvm.jdk(25), 60);
    for (String help : List.of("--help", "-h", "help")) {
      ChildJvm.Result run = ChildJvm.runJar(ChildJvm.jdk(25), 60, help);

      assertEquals(0, run.exitCode(), help);
      assertEquals(none.stdout(), run.stdout(), help);
      assertEquals("", run.stderr(), help);
    }
  }

  @Test
  void unknownCommandNamesTheCommandsThereAreThenTheUse() throws Exception {
    ChildJvm.Result run = ChildJvm.runJar(ChildJvm.jdk(17), 60, "conformanse");

    assertEquals(2, run.exitCode());
    assertTrue(run.stderr().startsWith("teardown-guard: unknown command 'conformanse'; accepted: conformance, samples, help\n"),
        run.stderr());
    assertShowsTheAgentsUse(run.stderr());
    assertEquals("", run.stdout());
  }

  /** The -javaagent and jcmd lines with this jar's real path, each option of the table, and the commands. */
  private static void assertShowsTheAgentsUse(String text) throws Exception {
    Matcher javaagent = Pattern.compile("java -javaagent:(\\S+)=report=\\S+ -jar your-app\\.jar").matcher(text);
    assertTrue(javaagent.find(), text);
    assertEquals(ChildJvm.AGENT_JAR.toRealPath(), Path.of(javaagent.group(1)).toRealPath(), "the jar's own path, to paste");
    assertTrue(text.contains("jcmd PID JVMTI.agent_load " + javaagent.group(1) + " '\"report="), text);
    assertTrue(text.contains("-XX:+EnableDynamicAgentLoading"), text);
    for (Option option : Option.values()) {
      assertTrue(text.lines().anyMatch(l -> l.startsWith("  " + option.key() + " ") && l.contains(option.description())),
          option.key() + " missing in\n" + text);
    }
    assertTrue(text.contains("\n    usage: java -jar teardown-guard-agent.jar conformance "), text);
    assertTrue(text.contains("\n    usage: java -jar teardown-guard-agent.jar samples "), text);
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
