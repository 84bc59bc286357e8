package io.teardownguard.conformance.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

final class ScenarioParserTest {
  private static final Path SCENARIO_DIR = Path.of("src/main/resources/scenarios");

  @Test
  void indexListsEveryScenarioFileExactlyOnce() throws IOException {
    List<String> index = Files.readAllLines(SCENARIO_DIR.resolve("INDEX")).stream().filter(l -> !l.isBlank()).toList();
    try (Stream<Path> files = Files.list(SCENARIO_DIR)) {
      List<String> onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".scn")).sorted().toList();
      assertEquals(onDisk, index.stream().sorted().toList());
    }
  }

  @Test
  void everyBundledScenarioStatesItsClaimAndSources() {
    List<Scenario> scenarios = ScenarioParser.bundled();

    assertTrue(scenarios.size() >= 30, "scenario files: " + scenarios.size());
    for (Scenario scenario : scenarios) {
      assertFalse(scenario.description().isBlank(), scenario.name() + " has no leading comment");
      assertFalse(scenario.sources().isEmpty(), scenario.name() + " names no source");
    }
  }

  @Test
  void everySeedArticleIsASourceOfSomeScenario() {
    List<String> sources = ScenarioParser.bundled().stream().flatMap(s -> s.sources().stream()).toList();

    for (String seed : List.of("seed-000", "seed-001", "seed-002", "seed-003")) {
      assertTrue(sources.stream().anyMatch(s -> s.startsWith(seed)), seed + " is not covered");
    }
  }

  @Test
  void docsSemanticsCitesEveryScenario() throws IOException {
    String doc = Files.readString(Path.of("../docs/semantics.md"));

    List<String> uncited = ScenarioParser.bundled().stream().map(Scenario::name)
        .filter(name -> !doc.contains("`" + name + "`")).toList();

    assertEquals(List.of(), uncited);
  }

  @Test
  void parsesDirectivesInOrder() {
    Scenario scenario = ScenarioParser.parse("example", """
        # Claim text
        # continues here.
        source seed-002 "x"
        api    Socket SocketChannel/selector
        setup  local=client peer.rcvbuf=4096
        peer   write 5
        call   close
        expect call ok
        """);

    assertEquals("Claim text continues here.", scenario.description());
    assertEquals(List.of(ApiVariant.SOCKET, ApiVariant.SOCKET_CHANNEL_SELECTOR), scenario.apis());
    assertEquals("client", scenario.setupValue("local", "server"));
    assertEquals(4096, scenario.setupInt("peer.rcvbuf", 0));
    assertEquals(List.of("peer write 5", "call close", "expect call ok"),
        scenario.steps().stream().map(Step::toString).toList());
  }

  @Test
  void rejectsAnUnknownApiNamingTheAcceptedOnes() {
    ScenarioException e = assertThrows(ScenarioException.class,
        () -> ScenarioParser.parse("bad", "api Sockt\ncall close\n"));

    assertTrue(e.getMessage().startsWith("unknown api 'Sockt'; accepted: Socket, SocketChannel,"), e.getMessage());
  }

  @Test
  void rejectsAScenarioWithoutExactlyOneCall() {
    ScenarioException e = assertThrows(ScenarioException.class,
        () -> ScenarioParser.parse("bad", "api Socket\ncall close\ncall close\n"));

    assertEquals("bad: needs exactly one 'call' line, has 2", e.getMessage());
  }

  @Test
  void rejectsAnUnknownDirectiveWithItsLineNumber() {
    ScenarioException e = assertThrows(ScenarioException.class,
        () -> ScenarioParser.parse("bad", "api Socket\n\nlocla close\n"));

    assertTrue(e.getMessage().startsWith("bad line 3: unknown directive 'locla'"), e.getMessage());
  }
}
