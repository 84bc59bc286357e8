package io.teardownguard.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures measured so far: one table cell per (workload, JDK), with the numbers behind it
 * for the JSON file.
 */
final class Results {
  /** One cell: what is shown, and the numbers (median, quartiles, counts) behind it. */
  record Figure(String workload, Jdk jdk, String cell, Map<String, Object> numbers) {}

  private final List<Figure> figures = new ArrayList<>();

  void add(String workload, Jdk jdk, String cell, Map<String, Object> numbers) {
    figures.add(new Figure(workload, jdk, cell, numbers));
  }

  /** workload | JDK 17 | JDK 25, one row per workload in the order measured. */
  void printTable(PrintStream out, List<Jdk> jdks) {
    List<String> header = new ArrayList<>(List.of("workload"));
    jdks.forEach(jdk -> header.add(jdk.label()));
    out.println(Text.header(header));
    Map<String, Map<Jdk, String>> rows = new LinkedHashMap<>();
    for (Figure figure : figures) {
      rows.computeIfAbsent(figure.workload(), k -> new LinkedHashMap<>()).put(figure.jdk(), figure.cell());
    }
    rows.forEach((workload, cells) -> {
      List<String> row = new ArrayList<>(List.of(workload));
      jdks.forEach(jdk -> row.add(cells.getOrDefault(jdk, "")));
      out.println(Text.row(row));
    });
  }

  /** The results file's "figures": a list of {workload, jdk, version, cell, ...numbers}. */
  List<Map<String, Object>> json() {
    List<Map<String, Object>> json = new ArrayList<>();
    for (Figure figure : figures) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("workload", figure.workload());
      entry.put("jdk", figure.jdk().feature());
      entry.put("jdkVersion", figure.jdk().version());
      entry.put("cell", figure.cell());
      entry.putAll(figure.numbers());
      json.add(entry);
    }
    return json;
  }
}
