package io.teardownguard.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  /** What Grafana's Prometheus data source escapes in a multi-value variable's values ({@code prometheusSpecialRegexEscape}). */
  private static final Pattern REGEX_SPECIAL = Pattern.compile("[$^*{}\\[\\]+?.()|]");
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

  /** A template variable whose values come from a query ({@code label_values(SELECTOR, LABEL)}). */
  record Variable(String name, String query, boolean multi, boolean includeAll, String allValue) {}

  /** The dashboard's query variables (job, instance), in their order on the dashboard. */
  static List<Variable> queryVariables() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(FILE.toFile());
    List<Variable> variables = new ArrayList<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        variables.add(new Variable(variable.get("name").asText(), variable.get("query").asText(),
            variable.path("multi").asBoolean(), variable.path("includeAll").asBoolean(),
            variable.path("allValue").asText(null)));
      }
    }
    return variables;
  }

  /** The query variable {@code name}; fails naming the variables there are. */
  static Variable variable(String name) throws IOException {
    List<Variable> variables = queryVariables();
    return variables.stream().filter(v -> v.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no variable '" + name + "' in " + FILE + "; it has " + variables));
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

  /**
   * The expression as Prometheus itself takes it, as Grafana sends it: the interval variables given
   * values, and each template variable the values picked, or its "All" value (a null list).
   */
  static String forPrometheus(String expression, Map<Variable, List<String>> picked) {
    String query = expression.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "5m");
    for (Map.Entry<Variable, List<String>> choice : picked.entrySet()) {
      query = query.replace("$" + choice.getKey().name(), interpolate(choice.getKey(), choice.getValue()));
    }
    return query;
  }

  /**
   * A multi-value variable's text in a query, as Grafana's Prometheus data source writes it
   * ({@code interpolateQueryExpr}): the "All" value as is; each value regex-escaped, one alone, several as {@code (a|b)}.
   */
  static String interpolate(Variable variable, List<String> values) {
    if (values == null) {
      return variable.allValue();
    }
    List<String> escaped = values.stream().map(v -> REGEX_SPECIAL.matcher(v.replace("\\", "\\\\\\\\"))
        .replaceAll(m -> Matcher.quoteReplacement("\\\\" + m.group()))).toList();
    return escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
  }
}
