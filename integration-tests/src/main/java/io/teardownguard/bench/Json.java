package io.teardownguard.bench;

import java.util.List;
import java.util.Map;

/**
 * JSON text of maps, lists, strings and numbers: all the results file needs. Written here
 * rather than taken from a library because the harness and its children run from the
 * module's classes alone, with nothing else on the class path of the measured JVMs.
 */
final class Json {
  private Json() {}

  static String of(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, "");
    return out.append('\n').toString();
  }

  private static void write(StringBuilder out, Object value, String indent) {
    String inner = indent + "  ";
    if (value instanceof Map<?, ?> map) {
      out.append('{');
      String separator = "\n";
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.append(separator).append(inner);
        string(out, String.valueOf(entry.getKey()));
        out.append(": ");
        write(out, entry.getValue(), inner);
        separator = ",\n";
      }
      out.append(map.isEmpty() ? "}" : "\n" + indent + "}");
    } else if (value instanceof List<?> list) {
      out.append('[');
      String separator = "\n";
      for (Object item : list) {
        out.append(separator).append(inner);
        write(out, item, inner);
        separator = ",\n";
      }
      out.append(list.isEmpty() ? "]" : "\n" + indent + "]");
    } else if (value instanceof Double number && !Double.isFinite(number)) {
      out.append("null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value == null) {
      out.append("null");
    } else {
      string(out, value.toString());
    }
  }

  private static void string(StringBuilder out, String text) {
    out.append('"');
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append(Text.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
