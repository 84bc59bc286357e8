package io.teardownguard.conformance.scenario;

import java.util.List;

/**
 * One line of a scenario: who does what.
 *
 * @param actor who acts ({@code null} for {@code call}, {@code check} and {@code expect} lines,
 *     which are about the endpoint under test)
 * @param verb the action, e.g. {@code write}, {@code call}, {@code read-to-end}
 * @param args its arguments
 * @param line the line number in the scenario file, for error messages
 */
public record Step(Actor actor, String verb, List<String> args, int line) {

  public Step {
    args = List.copyOf(args);
  }

  public String arg(int index) {
    if (index >= args.size()) {
      throw new ScenarioException("line " + line + ": '" + verb + "' needs argument " + (index + 1));
    }
    return args.get(index);
  }

  public int intArg(int index) {
    String value = arg(index);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ScenarioException("line " + line + ": '" + verb + "' takes a number, not '" + value + "'");
    }
  }

  @Override
  public String toString() {
    String who = actor == null ? "" : actor.name().toLowerCase(java.util.Locale.ROOT) + " ";
    return who + verb + (args.isEmpty() ? "" : " " + String.join(" ", args));
  }
}
