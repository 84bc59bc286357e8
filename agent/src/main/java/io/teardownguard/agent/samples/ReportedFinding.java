package io.teardownguard.agent.samples;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code finding} line of a report, as the samples runner reads it back.
 *
 * @param rule rule id
 * @param severity severity
 * @param site {@code class.method(File:line)}
 * @param message the finding's sentence
 */
record ReportedFinding(String rule, String severity, String site, String message) {
  private static final JsonFactory JSON = new JsonFactory();

  /** {@code RULE@class.method}: the site without its file and line, as the catalogue names it. */
  String ruleAtMethod() {
    int paren = site.indexOf('(');
    return rule + "@" + (paren < 0 ? site : site.substring(0, paren));
  }

  static List<ReportedFinding> read(Path report) throws IOException {
    List<ReportedFinding> findings = new ArrayList<>();
    if (!Files.exists(report)) {
      return findings;
    }
    for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
      ReportedFinding finding = parse(line);
      if (finding != null) {
        findings.add(finding);
      }
    }
    return findings;
  }

  /** The finding on this line, or null for a teardown line. */
  private static ReportedFinding parse(String line) throws IOException {
    String type = null;
    String rule = null;
    String severity = null;
    String site = null;
    String message = null;
    try (JsonParser json = JSON.createParser(line)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object: " + line);
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          json.skipChildren();
          continue;
        }
        switch (field) {
          case "type" -> type = json.getText();
          case "rule" -> rule = json.getText();
          case "severity" -> severity = json.getText();
          case "site" -> site = json.getText();
          case "message" -> message = json.getText();
          default -> { }
        }
      }
    }
    return "finding".equals(type) ? new ReportedFinding(rule, severity, site, message) : null;
  }
}
