package io.teardownguard.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard shipped in dashboards/, and the metric names its PromQL uses. */
final class Dashboard {
  static final Path FILE = Path.of(System.getProperty("tg.dashboard", "../dashboards/teardown-guard.json"));

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  /** {@code by (rule, severity)}, {@code without (...)}, {@code on (...)}, {@code ignoring (...)}: label names. */
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![a-zA-Z0-9_:.])[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "offset", "bool", "and", "or", "unless", "inf", "nan");

  private Dashboard() {}

  /** Every panel target's {@code expr}. */
  static List<String> expressions() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(FILE.toFile());
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        expressions.add(target.get("expr").asText());
      }
    }
    return expressions;
  }

  /** The metric names a PromQL expression selects: identifiers outside strings, matchers, ranges, calls and groupings. */
  static Set<String> metricNames(String expression) {
    String rest = STRING.matcher(expression).replaceAll(" ");
    rest = LABEL_MATCHERS.matcher(rest).replaceAll(" ");
    rest = RANGE.matcher(rest).replaceAll(" ");
    rest = GROUPING.matcher(rest).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher identifier = IDENTIFIER.matcher(rest);
    while (identifier.find()) {
      String word = identifier.group();
      int end = identifier.end();
      boolean call = rest.substring(end).stripLeading().startsWith("(");
      if (!call && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
        names.add(word);
      }
    }
    return names;
  }

  /** The expression as Prometheus itself takes it: Grafana's interval variables given values. */
  static String forPrometheus(String expression) {
    return expression.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "5m");
  }
}
