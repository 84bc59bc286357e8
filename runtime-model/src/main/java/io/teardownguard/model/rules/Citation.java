package io.teardownguard.model.rules;

/**
 * The source that justifies a rule: a kernel function, an RFC section, or a JDK class.
 *
 * @param source file or document, e.g. {@code net/ipv4/tcp.c} or {@code RFC 2525}
 * @param anchor function, method or section within it
 */
public record Citation(String source, String anchor) {

  public static Citation kernel(String file, String function) {
    return new Citation("linux " + file, function + "()");
  }

  public static Citation rfc(int number, String section) {
    return new Citation("RFC " + number, "section " + section);
  }

  public static Citation jdk(String className, String method) {
    return new Citation("JDK " + className, method);
  }

  @Override
  public String toString() {
    return source + " " + anchor;
  }
}
