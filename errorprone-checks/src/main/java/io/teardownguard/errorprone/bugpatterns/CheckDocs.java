package io.teardownguard.errorprone.bugpatterns;

/**
 * Where each check's page lives: {@code docs/checks/<CheckName>.md}, relative to the root of the
 * Teardown Guard repository, so that the link in a diagnostic names a file in the same tree as
 * the sources that produced it.
 */
final class CheckDocs {

  static final String BASE = "docs/checks/";

  private CheckDocs() {}
}
