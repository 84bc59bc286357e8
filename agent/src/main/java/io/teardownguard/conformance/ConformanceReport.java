package io.teardownguard.conformance;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The JSON file of a conformance run: {@code {"jdk", "kernel", "network", "oracles": [...], "scenarios":
 * [{"name", "predicted", "observed", "agree"}], "total", "agreed"}}.
 */
final class ConformanceReport {
  private ConformanceReport() {}

  static void write(Path file, String network, List<Oracles.Status> oracles, List<ScenarioResult> results)
      throws IOException {
    try (JsonGenerator json = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("jdk", Runtime.version().toString());
      json.writeStringField("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
      json.writeStringField("network", network);
      json.writeArrayFieldStart("oracles");
      for (Oracles.Status oracle : oracles) {
        json.writeStartObject();
        json.writeStringField("name", oracle.name());
        json.writeBooleanField("available", oracle.available());
        json.writeStringField("detail", oracle.detail());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("scenarios");
      for (ScenarioResult result : results) {
        writeResult(json, result);
      }
      json.writeEndArray();
      json.writeNumberField("total", results.size());
      json.writeNumberField("agreed", results.stream().filter(ScenarioResult::agrees).count());
      json.writeEndObject();
    }
  }

  private static void writeResult(JsonGenerator json, ScenarioResult result) throws IOException {
    json.writeStartObject();
    json.writeStringField("name", result.name());
    json.writeStringField("description", result.description());
    json.writeFieldName("sources");
    writeValue(json, result.sources());
    json.writeFieldName("predicted");
    writeValue(json, result.predicted());
    json.writeFieldName("observed");
    writeValue(json, result.observed());
    json.writeBooleanField("agree", result.agrees());
    json.writeFieldName("mismatches");
    writeValue(json, result.mismatches());
    json.writeNumberField("millis", result.millis());
    json.writeEndObject();
  }

  private static void writeValue(JsonGenerator json, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof Map<?, ?> map) {
      json.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        json.writeFieldName(String.valueOf(entry.getKey()));
        writeValue(json, entry.getValue());
      }
      json.writeEndObject();
    } else if (value instanceof Collection<?> collection) {
      json.writeStartArray();
      for (Object element : collection) {
        writeValue(json, element);
      }
      json.writeEndArray();
    } else if (value instanceof Integer || value instanceof Long) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Boolean bool) {
      json.writeBoolean(bool);
    } else {
      json.writeString(String.valueOf(value));
    }
  }
}
