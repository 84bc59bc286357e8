package io.teardownguard.it.field;

import java.util.List;

/**
 * One teardown trigger on a real library, run by {@link FieldHost} between two capture marks.
 * The body starts what it needs and stops all of it before returning, so every connection it
 * made is torn down inside its own capture interval.
 *
 * @param name unique in the suite, e.g. {@code tomcat-413-unread-body}
 * @param sites class-name prefixes of the code that may make this case's closes: the library's
 *     packages, and this package for the application's own calls. A finding whose site is
 *     elsewhere (the JDK's {@code sun.nio.ch}, "unknown") names no line a user can open.
 * @param body the trigger
 * @param clean the application and library do everything right (read all, close once): no
 *     finding of any rule may fire
 * @param lateFactBound how many endpoints may disagree with a certain prediction because of a
 *     fact the capture shows arriving after the agent's probe ({@link LateFact}); 0 unless the
 *     library itself races the peer at its teardown, and then the case says why its bound holds
 */
record FieldCase(String name, List<String> sites, Body body, boolean clean, int lateFactBound) {
  /** The application's own code: the field cases themselves. */
  static final String APPLICATION = "io.teardownguard.it.field.";

  FieldCase(String name, List<String> sites, Body body) {
    this(name, sites, body, false, 0);
  }

  FieldCase(String name, List<String> sites, Body body, boolean clean) {
    this(name, sites, body, clean, 0);
  }

  /** This case with a bound on its disagreements from facts after the probe. */
  FieldCase racing(int bound) {
    return new FieldCase(name, sites, body, clean, bound);
  }

  interface Body {
    void run() throws Exception;
  }
}
