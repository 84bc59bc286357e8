package io.teardownguard.errorprone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.BugPattern;
import com.google.errorprone.bugpatterns.BugChecker;
import io.teardownguard.model.rules.Rule;
import io.teardownguard.model.rules.RuleText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every check has its page under docs/checks, its link is an absolute URL to that page, and the
 * index lists it.
 */
final class CheckDocumentationTest {

  @Test
  void atLeastSixChecksAreRegistered() {
    assertTrue(TeardownChecks.all().size() >= 6, TeardownChecks.all().toString());
  }

  @Test
  void everyLinkNamesTheCheckPage() throws IOException {
    for (Class<? extends BugChecker> check : TeardownChecks.all()) {
      BugPattern pattern = TeardownChecks.pattern(check);
      String name = check.getSimpleName();
      assertEquals(BugPattern.LinkType.CUSTOM, pattern.linkType(), name);
      assertTrue(pattern.link().matches("https://\\S+/docs/checks/" + name + "\\.md"),
          name + ": the link must be an absolute URL to docs/checks/" + name + ".md, was "
              + pattern.link());
      Path page = TeardownChecks.root().resolve("docs/checks/" + name + ".md");
      assertTrue(Files.isRegularFile(page), "no page " + page);
      String text = Files.readString(page);
      assertTrue(text.startsWith("# " + name + "\n"), name + ": page must start with its name");
      assertTrue(text.contains("@SuppressWarnings(\"" + name + "\")"),
          name + ": page must say how to suppress it");
      assertTrue(text.contains("Prefer this") && text.contains("Instead of this"),
          name + ": page must show the fix");
    }
  }

  @Test
  void theIndexListsEveryCheckAndNothingElse() throws IOException {
    Path checks = TeardownChecks.root().resolve("docs/checks");
    Set<String> names = TeardownChecks.all().stream().map(Class::getSimpleName)
        .collect(Collectors.toSet());
    String index = Files.readString(checks.resolve("README.md"));
    for (String name : names) {
      assertTrue(index.contains("[" + name + "](" + name + ".md)"), "index misses " + name);
    }
    try (Stream<Path> pages = Files.list(checks)) {
      List<String> orphans = pages.map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".md") && !f.equals("README.md")
              && !f.equals("field-results.md"))
          .map(f -> f.substring(0, f.length() - ".md".length()))
          .filter(n -> !names.contains(n)).toList();
      assertTrue(orphans.isEmpty(), "pages without a check: " + orphans);
    }
  }

  @Test
  void aCheckNamedAfterARuleStatesThatRulesSummary() throws ReflectiveOperationException {
    Set<String> rules = Arrays.stream(Rule.values()).map(Rule::name).collect(Collectors.toSet());
    int named = 0;
    for (Class<? extends BugChecker> check : TeardownChecks.all()) {
      String rule = TeardownChecks.ruleId(check.getSimpleName());
      if (rules.contains(rule)) {
        named++;
        assertEquals(RuleText.class.getField(rule + "_SUMMARY").get(null),
            TeardownChecks.pattern(check).summary(), check.getSimpleName());
      }
    }
    assertTrue(named >= 5, "checks named after a rule: " + named);
  }
}
