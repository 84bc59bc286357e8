package io.teardownguard.conformance.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads scenario files ({@code *.scn}): a leading comment that states the claim, then one
 * directive per line, packetdrill-style. Scenarios ship as resources listed in {@code INDEX}.
 */
public final class ScenarioParser {
  private static final String RESOURCE_DIR = "/scenarios/";

  private ScenarioParser() {}

  /** Every scenario shipped with the suite, in INDEX order. */
  public static List<Scenario> bundled() {
    List<Scenario> scenarios = new ArrayList<>();
    for (String file : read(RESOURCE_DIR + "INDEX").lines().map(String::strip).toList()) {
      if (!file.isEmpty()) {
        String name = file.substring(0, file.length() - ".scn".length());
        scenarios.add(parse(name, read(RESOURCE_DIR + file)));
      }
    }
    return scenarios;
  }

  public static Scenario parse(String name, String text) {
    StringBuilder description = new StringBuilder();
    List<String> sources = new ArrayList<>();
    List<ApiVariant> apis = new ArrayList<>();
    Map<String, String> setup = new LinkedHashMap<>();
    List<Step> steps = new ArrayList<>();
    int lineNumber = 0;
    for (String raw : text.split("\n", -1)) {
      lineNumber++;
      String line = raw.strip();
      if (line.startsWith("#")) {
        if (steps.isEmpty() && apis.isEmpty()) {
          description.append(description.length() == 0 ? "" : " ").append(line.substring(1).strip());
        }
        continue;
      }
      if (line.isEmpty()) {
        continue;
      }
      List<String> words = Arrays.asList(line.split("\\s+"));
      String keyword = words.get(0);
      List<String> rest = words.subList(1, words.size());
      switch (keyword) {
        case "source" -> sources.add(String.join(" ", rest));
        case "api" -> rest.forEach(a -> apis.add(ApiVariant.byFileName(a)));
        case "setup" -> { int at = lineNumber; rest.forEach(kv -> putSetup(setup, kv, at)); }
        case "local", "peer" -> {
          if (rest.isEmpty()) {
            throw new ScenarioException(name + " line " + lineNumber + ": '" + keyword + "' needs an action");
          }
          Actor actor = keyword.equals("local") ? Actor.LOCAL : Actor.PEER;
          steps.add(new Step(actor, rest.get(0), rest.subList(1, rest.size()), lineNumber));
        }
        case "call", "check", "expect", "given" -> steps.add(new Step(null, keyword, rest, lineNumber));
        default -> throw new ScenarioException(name + " line " + lineNumber + ": unknown directive '"
            + keyword + "'; accepted: source, api, setup, local, peer, call, given, check, expect");
      }
    }
    long calls = steps.stream().filter(s -> s.verb().equals("call")).count();
    if (calls != 1) {
      throw new ScenarioException(name + ": needs exactly one 'call' line, has " + calls);
    }
    if (apis.isEmpty()) {
      throw new ScenarioException(name + ": needs an 'api' line");
    }
    return new Scenario(name, description.toString(), sources, apis, setup, steps);
  }

  private static void putSetup(Map<String, String> setup, String keyValue, int line) {
    int eq = keyValue.indexOf('=');
    if (eq <= 0) {
      throw new ScenarioException("line " + line + ": setup takes key=value, not '" + keyValue + "'");
    }
    setup.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
  }

  private static String read(String resource) {
    try (InputStream in = ScenarioParser.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ScenarioException("missing scenario resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
