package io.teardownguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proves that the "with agent" children measure what they claim, from the agent's exit summary
 * after a counted run: churn must show two teardowns per connection and no finding (else a
 * broken agent would look like a free one); the unsafe close must show a finding at nearly every
 * connection (else it would measure a close that finds nothing). A summary in a format this
 * does not know is said so in the output, not failed: the harness runs against any agent jar.
 */
final class AgentCheck {
  private static final Pattern TEARDOWNS = Pattern.compile("teardown-guard: (\\d+) teardown\\(s\\)");
  private static final Pattern FINDINGS = Pattern.compile("teardown-guard: (\\d+) finding\\(s\\)");
  private static final Pattern ERRORS = Pattern.compile("internal errors (\\d+)");
  private static final long CONNECTIONS = 2_000;
  /** A close in the agent's start-up may see only the Java-level view, which cannot know unread bytes. */
  private static final double UNSAFE_FINDINGS_AT_LEAST = 0.95;

  private AgentCheck() {}

  /** One line for the output; throws naming what is wrong. */
  static String run(ChildJvm jvm, Jdk jdk) throws IOException, InterruptedException {
    // SERVER_SIDE_TIME_WAIT off: the churn server closes first on every connection.
    String churn = check(jvm, jdk, "churn", ",timeWaitThreshold=1000000000");
    String unsafe = check(jvm, jdk, "unsafe-close", "");
    return Text.format("agent check, %s, %,d connections each: churn %s; unsafe-close %s", jdk.label(), CONNECTIONS,
        churn, unsafe);
  }

  private static String check(ChildJvm jvm, Jdk jdk, String workload, String moreOptions)
      throws IOException, InterruptedException {
    Path summary = Files.createTempFile("tg-bench-summary", ".txt");
    try {
      String what = "agent check of " + workload + " on " + jdk.label();
      try (Child child = Child.start(what, jvm.workload(jdk, "summary=" + summary + moreOptions, workload))) {
        child.count(CONNECTIONS);
      }
      String text = Files.readString(summary, StandardCharsets.UTF_8);
      long teardowns = number(TEARDOWNS, text);
      long findings = number(FINDINGS, text);
      long errors = number(ERRORS, text);
      if (teardowns < 0 || findings < 0 || errors < 0) {
        return "summary not understood, not checked: " + ChildJvm.firstLine(text);
      }
      boolean unsafe = workload.equals("unsafe-close");
      boolean right = teardowns >= 2 * CONNECTIONS && errors == 0
          && (unsafe ? findings >= UNSAFE_FINDINGS_AT_LEAST * CONNECTIONS : findings == 0);
      String counts = teardowns + " teardowns, " + findings + " findings, " + errors + " internal errors";
      if (!right) {
        throw new BenchmarkException(what + ": " + CONNECTIONS + " connections but the agent's summary says " + counts);
      }
      return counts;
    } finally {
      Files.deleteIfExists(summary);
    }
  }

  private static long number(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
  }
}
