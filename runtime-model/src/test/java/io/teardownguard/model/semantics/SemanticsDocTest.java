package io.teardownguard.model.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.teardownguard.model.Condition;
import io.teardownguard.model.rules.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/semantics.md documents every row, rule and condition the model has, by id. */
final class SemanticsDocTest {
  private static final Path DOC = Path.of("../docs/semantics.md");

  @Test
  void everyRowRuleAndConditionHasItsPlaceInTheDoc() throws IOException {
    String doc = Files.readString(DOC);
    List<String> ids = new ArrayList<>();
    ids.addAll(JdkLayer.rowIds());
    ids.addAll(KernelLayer.rowIds());
    Arrays.stream(Rule.values()).map(Rule::id).forEach(ids::add);
    Arrays.stream(Condition.values()).map(Condition::name).forEach(ids::add);

    List<String> missing = ids.stream().filter(id -> !doc.contains("`" + id + "`")).toList();

    assertEquals(List.of(), missing, "not in " + DOC);
  }

  @Test
  void everyRuleCitesItsSourcesAndSaysHowToFixIt() {
    for (Rule rule : Rule.values()) {
      assertEquals(false, rule.citations().isEmpty(), rule.id());
      assertEquals(false, rule.remedy().isBlank(), rule.id());
      assertEquals(rule.name(), rule.id(), "enum constant and id differ");
    }
  }
}
