package io.teardownguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proves that the "with agent" children measure what they claim: a short churn run with the
 * exit summary written to a file must show two teardowns per connection, no findings and no
 * internal errors. Otherwise a broken agent would look like a free one.
 */
final class AgentCheck {
  private static final Pattern TEARDOWNS = Pattern.compile("teardown-guard: (\\d+) teardown\\(s\\)");
  private static final Pattern FINDINGS = Pattern.compile("teardown-guard: (\\d+) finding\\(s\\)");
  private static final Pattern ERRORS = Pattern.compile("internal errors (\\d+)");
  private static final long TIMEOUT_SECONDS = 60;

  private AgentCheck() {}

  /** Returns one line for the output, or throws naming what is wrong. */
  static String run(ChildJvm jvm, Jdk jdk) throws IOException, InterruptedException {
    Path summary = Files.createTempFile("tg-bench-summary", ".txt");
    try {
      String what = "agent check on " + jdk.label();
      List<String> command = jvm.command(jdk, "summary=" + summary + ",timeWaitThreshold=1000000000",
          Settings.CHURN_JVM_OPTIONS, ChurnWorkload.class, List.of("--warmup", "0", "--seconds", "1"));
      ChurnRun run = ChurnRun.parse(what, jvm.run(what, command, TIMEOUT_SECONDS).stdout());
      String text = Files.readString(summary, StandardCharsets.UTF_8);
      long teardowns = number(TEARDOWNS, text);
      long findings = number(FINDINGS, text);
      long errors = number(ERRORS, text);
      // Two closes per connection, plus the listener's close at the end.
      if (teardowns < 2 * run.connections() || findings != 0 || errors != 0) {
        throw new BenchmarkException(what + ": " + run.connections() + " connections but the agent's summary says "
            + teardowns + " teardowns, " + findings + " findings, " + errors + " internal errors: " + ChildJvm.firstLine(text));
      }
      return Text.format("agent check, %s: %d connections, %d teardowns seen by the agent, %d findings, %d internal errors",
          jdk.label(), run.connections(), teardowns, findings, errors);
    } finally {
      Files.deleteIfExists(summary);
    }
  }

  private static long number(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
  }
}
