package io.teardownguard.errorprone.bugpatterns;

import com.google.errorprone.ErrorProneFlags;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where each check's page lives, as a link a user can open from a diagnostic in their own
 * project: one base URL plus {@code <CheckName>.md}. The base is the project's repository docs
 * folder unless {@code -XepOpt:TeardownGuard:DocsBase=<url>} names another (a mirror, an internal
 * copy of the pages); the remedy itself is in every message, so the link is for the why.
 */
final class CheckDocs {

  /** The default base: the pages under docs/checks/ of the project's repository. */
  static final String BASE =
      "https://github.com/teardownguard/teardown-guard/blob/main/docs/checks/";

  /** The Error Prone flag that overrides {@link #BASE}. */
  static final String FLAG = "TeardownGuard:DocsBase";

  private static final Pattern ABSOLUTE_URL = Pattern.compile("(?i)https?://\\S+");

  private CheckDocs() {}

  /**
   * The base in {@code flags}, ending in '/', or {@link #BASE}. A value that is not an absolute
   * http(s) URL is reported on one stderr line and ignored: compilation goes on.
   */
  static String base(ErrorProneFlags flags) {
    Optional<String> configured = flags.get(FLAG).map(String::strip);
    if (configured.isEmpty()) {
      return BASE;
    }
    String base = configured.get();
    if (!ABSOLUTE_URL.matcher(base).matches()) {
      System.err.println("-XepOpt:" + FLAG + "=" + base + " is not an absolute http(s) URL"
          + " (accepted: http://... or https://..., the folder of the check pages); using " + BASE);
      return BASE;
    }
    return base.endsWith("/") ? base : base + "/";
  }
}
