package io.teardownguard.errorprone;

import com.google.errorprone.BugPattern;
import com.google.errorprone.bugpatterns.BugChecker;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/** The checks this module provides, as Error Prone finds them, and where the repository is. */
final class TeardownChecks {

  private TeardownChecks() {}

  /** Every check registered in META-INF/services, as Error Prone's plugin loader sees them. */
  static List<Class<? extends BugChecker>> all() {
    return ServiceLoader.load(BugChecker.class).stream()
        .map(ServiceLoader.Provider::type)
        .filter(type -> type.getPackageName().startsWith("io.teardownguard."))
        .toList();
  }

  static BugPattern pattern(Class<? extends BugChecker> check) {
    return check.getAnnotation(BugPattern.class);
  }

  /** The repository root (the build passes it; the tests run in errorprone-checks/ otherwise). */
  static Path root() {
    return Path.of(System.getProperty("teardownguard.root", "..")).toAbsolutePath().normalize();
  }

  /** The check's rule id if it is named after one: AbortiveClose -> ABORTIVE_CLOSE. */
  static String ruleId(String checkName) {
    return checkName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
  }
}
