package io.teardownguard.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Command-line options of the form {@code --name value}. Bad input is one line naming the
 * option and what it accepts ({@link BadFlagException}), never a stack trace.
 */
final class Flags {
  /** One line for the user: which option, what it accepts, what was given. */
  static final class BadFlagException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadFlagException(String message) {
      super(message);
    }
  }

  private final Map<String, List<String>> values;

  private Flags(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Reads {@code args} as {@code --name value} pairs; {@code known} are the names without "--". */
  static Flags parse(String[] args, Set<String> known) {
    Map<String, List<String>> values = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String flag = args[i];
      String name = flag.startsWith("--") ? flag.substring(2) : null;
      if (name == null || !known.contains(name)) {
        throw new BadFlagException("unknown option '" + flag + "'; accepted: --" + String.join(", --", new TreeSet<>(known)));
      }
      if (i + 1 >= args.length) {
        throw new BadFlagException(flag + ": missing value");
      }
      values.computeIfAbsent(name, k -> new ArrayList<>()).add(args[i + 1]);
    }
    return new Flags(values);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /** Every value given for a repeatable option, in order; empty if none. */
  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  String text(String name, String defaultValue) {
    List<String> given = all(name);
    return given.isEmpty() ? defaultValue : given.get(given.size() - 1);
  }

  long number(String name, long defaultValue, long min, long max) {
    String text = text(name, null);
    if (text == null) {
      return defaultValue;
    }
    try {
      long value = Long.parseLong(text.replace("_", ""));
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below, with the accepted range
    }
    throw new BadFlagException("--" + name + ": expected a whole number from " + min + " to " + max + ", got '" + text + "'");
  }

  int integer(String name, int defaultValue, int min, int max) {
    return (int) number(name, defaultValue, min, max);
  }

  String choice(String name, String defaultValue, Set<String> choices) {
    String text = text(name, defaultValue);
    if (!choices.contains(text)) {
      throw new BadFlagException("--" + name + ": expected one of " + String.join(", ", new TreeSet<>(choices))
          + ", got '" + text + "'");
    }
    return text;
  }

  /** A comma-separated subset of {@code choices}, in the order given. */
  List<String> subset(String name, List<String> defaultValue, Set<String> choices) {
    String text = text(name, null);
    if (text == null) {
      return defaultValue;
    }
    List<String> chosen = new ArrayList<>();
    for (String item : text.split(",", -1)) {
      if (!choices.contains(item)) {
        throw new BadFlagException("--" + name + ": expected a comma-separated list of " + String.join(", ", new TreeSet<>(choices))
            + ", got '" + text + "'");
      }
      if (!chosen.contains(item)) {
        chosen.add(item);
      }
    }
    return chosen;
  }
}
