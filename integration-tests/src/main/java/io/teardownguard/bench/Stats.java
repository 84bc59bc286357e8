package io.teardownguard.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Median, quartiles and extremes of repeated measurements: the median resists a noisy few. */
record Stats(double median, double q1, double q3, double min, double max, int count) {
  static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return new Stats(quantile(sorted, 0.5), quantile(sorted, 0.25), quantile(sorted, 0.75), sorted.get(0),
        sorted.get(sorted.size() - 1), sorted.size());
  }

  /** Linear interpolation between the closest ranks. */
  static double quantile(List<Double> sorted, double p) {
    double position = p * (sorted.size() - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.size() - 1);
    return sorted.get(below) + (position - below) * (sorted.get(above) - sorted.get(below));
  }

  /** "median (quartiles q1 .. q3, min .. max, n)" with the given format for each number. */
  String format(String number) {
    return Text.format(number + " (quartiles " + number + " .. " + number + ", range " + number + " .. " + number + ", n=%d)",
        median, q1, q3, min, max, count);
  }

  Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("median", median);
    json.put("q1", q1);
    json.put("q3", q3);
    json.put("min", min);
    json.put("max", max);
    json.put("n", count);
    return json;
  }
}
