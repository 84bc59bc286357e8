package io.teardownguard.agent.report;

import io.teardownguard.agent.config.AgentOptions;
import io.teardownguard.agent.config.Option;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the exit summary goes ({@code summary=stderr|off|FILE}). A file is written like the
 * report (0600, nothing at the path harmed, see {@link OwnerOnlyFile}); one that cannot be written
 * is one line on stderr saying why, and the summary follows there, so it is never lost unseen.
 */
public final class SummaryOutput {
  private SummaryOutput() {}

  /** Whether a summary is wanted at all: not with {@code summary=off}. */
  public static boolean wanted(AgentOptions options) {
    return !options.get(Option.SUMMARY).equals("off");
  }

  public static void deliver(String summary, AgentOptions options, PrintStream err) {
    if (options.get(Option.SUMMARY).equals("stderr")) {
      err.print(summary);
      return;
    }
    Path file = options.path(Option.SUMMARY);
    try {
      OwnerOnlyFile.write(file, summary.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      err.println("teardown-guard: summary=" + file + " cannot be written (" + OwnerOnlyFile.reason(e)
          + "); the summary follows on stderr");
      err.print(summary);
    }
  }
}
