package io.teardownguard.bench;

import java.util.List;
import java.util.Locale;

/** Output helpers: numbers in one locale, and Markdown table rows that docs can take as they are. */
final class Text {
  private Text() {}

  static String format(String format, Object... values) {
    return String.format(Locale.ROOT, format, values);
  }

  static String row(List<String> cells) {
    return "| " + String.join(" | ", cells) + " |";
  }

  static String header(List<String> cells) {
    StringBuilder rule = new StringBuilder("|");
    for (int i = 0; i < cells.size(); i++) {
      rule.append("---|");
    }
    return row(cells) + "\n" + rule;
  }

  /** The value of {@code key=} in a line of {@code key=value} words, or -1 if absent. */
  static long field(String line, String key) {
    for (String word : line.split(" ")) {
      if (word.startsWith(key + "=")) {
        return Long.parseLong(word.substring(key.length() + 1));
      }
    }
    return -1;
  }

  /** The first line starting with {@code prefix}, or null. */
  static String lineStarting(List<String> lines, String prefix) {
    for (String line : lines) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    return null;
  }
}
