package io.teardownguard.errorprone.bugpatterns;

import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.bugpatterns.BugChecker;

/**
 * A Teardown Guard check: its diagnostics link to {@code <docs base><CheckName>.md}, the base
 * from {@code -XepOpt:TeardownGuard:DocsBase} or {@link CheckDocs#BASE} ({@link CheckDocs}).
 */
abstract class DocumentedCheck extends BugChecker {
  private static final long serialVersionUID = 1L;

  private final String docsBase;

  DocumentedCheck(ErrorProneFlags flags) {
    this.docsBase = CheckDocs.base(flags);
  }

  @Override
  public final String linkUrl() {
    return docsBase + canonicalName() + ".md";
  }
}
