package io.teardownguard.agent.report;

import io.teardownguard.agent.observation.OutcomeClass;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The summary printed at JVM exit: findings grouped by rule and call site with counts, then
 * teardowns by what they put on the wire, the agent's own errors and dropped report lines.
 * Plain string building: it runs while the JVM shuts down, where Formatter and lambdas would
 * cost tens of milliseconds of class loading.
 */
public final class ExitSummary {
  private ExitSummary() {}

  public static String render(Totals totals, long hookErrors) {
    List<Totals.Site> sites = new ArrayList<>(totals.findings());
    sites.sort(new MostSevereFirst());
    long occurrences = 0;
    for (Totals.Site site : sites) {
      occurrences += site.count();
    }
    StringBuilder out = new StringBuilder();
    out.append("teardown-guard: ").append(occurrences).append(" finding(s) at ").append(sites.size())
        .append(" call site(s)\n");
    for (Totals.Site site : sites) {
      out.append("  ").append(pad(site.rule().severity().name(), 8)).append(pad(site.rule().id(), 41))
          .append(pad("x" + site.count(), 8)).append(site.site()).append('\n');
    }
    var teardowns = totals.teardowns();
    out.append("teardown-guard: ").append(totals.teardownCount()).append(" teardown(s): fin ")
        .append(teardowns.get(OutcomeClass.FIN)).append(", rst ").append(teardowns.get(OutcomeClass.RST))
        .append(", fin_rst ").append(teardowns.get(OutcomeClass.FIN_RST)).append(", none ")
        .append(teardowns.get(OutcomeClass.NONE)).append("; local TIME_WAIT ").append(totals.localTimeWait())
        .append(" (on accepted connections ").append(totals.serverSideTimeWait()).append(")\n");
    out.append("teardown-guard: internal errors ").append(totals.agentErrors() + hookErrors)
        .append(", report lines dropped ").append(totals.droppedEvents());
    if (totals.report() != null) {
      out.append(", report ").append(totals.report());
      if (totals.reportProblem() != null) {
        out.append(" NOT complete (").append(totals.reportProblem()).append(')');
      }
    }
    return out.append('\n').toString();
  }

  /** Most severe first, then by rule and site; a class, not a lambda (see above). */
  private static final class MostSevereFirst implements Comparator<Totals.Site> {
    @Override
    public int compare(Totals.Site a, Totals.Site b) {
      int bySeverity = b.rule().severity().compareTo(a.rule().severity());
      if (bySeverity != 0) {
        return bySeverity;
      }
      int byRule = a.rule().id().compareTo(b.rule().id());
      return byRule != 0 ? byRule : a.site().compareTo(b.site());
    }
  }

  private static String pad(String text, int width) {
    StringBuilder padded = new StringBuilder(text);
    while (padded.length() < width) {
      padded.append(' ');
    }
    return padded.append(' ').toString();
  }
}
