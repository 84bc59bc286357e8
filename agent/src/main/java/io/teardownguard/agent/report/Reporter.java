package io.teardownguard.agent.report;

import io.teardownguard.agent.config.AgentOptions;
import io.teardownguard.agent.config.Option;
import io.teardownguard.agent.metrics.TeardownCounters;
import io.teardownguard.agent.observation.CallSite;
import io.teardownguard.agent.observation.LocalTimeWait;
import io.teardownguard.agent.observation.OutcomeClass;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.model.Finding;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.Outcome;
import io.teardownguard.model.TeardownCall;
import io.teardownguard.model.semantics.ServerSideTimeWait;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Turns teardown records into report lines, counts and listener calls. Memory is bounded: at
 * most {@link #MAX_SITES} rule/site pairs are kept (later ones are counted together), a stack is
 * walked only for a finding, and kept only the first time a rule fires at a site.
 */
public final class Reporter {
  static final int MAX_SITES = 4096;
  static final String OTHER_SITES = "(other call sites)";
  /**
   * After the threshold, one active close in this many has its call site walked and counted (the
   * server-side count itself is exact). A walk this rare is never compiled: interpreted it took
   * about 300 us, which at one in 1,024 was 0.3 us on every churn connection (a perf profile,
   * docs/performance.md); one in 16,384 keeps the sites' sample and makes it noise.
   */
  private static final long TIME_WAIT_SAMPLE = 16_384;

  private final boolean allEvents;
  private final long timeWaitThreshold;
  private final JsonlWriter writer;
  private final Map<String, FindingAggregate> findings = new ConcurrentHashMap<>();
  /** Those of connections accepted from this process's listeners: what SERVER_SIDE_TIME_WAIT counts. */
  private final AtomicLong serverSideTimeWait = new AtomicLong();
  private final AtomicLong agentErrors = new AtomicLong();
  private final List<Consumer<FindingEvent>> listeners = new CopyOnWriteArrayList<>();
  /**
   * Made at the first teardown (or binding), not at start-up: it loads the model's enums. A
   * volatile field, not an AtomicReference, which is not in the JDK's shared archive and whose
   * class set-up cost every JVM's start-up about a millisecond (issue 14).
   */
  private volatile TeardownCounters counters;
  /** Set once by the agent's warm-up thread; read at every record. */
  private volatile FlightEvents flight = FlightEvents.NONE;

  public Reporter(AgentOptions options) {
    this.allEvents = options.allEvents();
    this.timeWaitThreshold = options.number(Option.TIME_WAIT_THRESHOLD);
    this.writer = options.get(Option.REPORT).isEmpty() ? null
        : new JsonlWriter(options.path(Option.REPORT), options.number(Option.REPORT_MAX_BYTES));
  }

  public void start() {
    if (writer != null) {
      writer.start();
    }
  }

  /** Errors inside the agent (hooks, probes, exports), counted for the summary. */
  public AtomicLong agentErrors() {
    return agentErrors;
  }

  /**
   * What the meters read. Made once under this reporter's own monitor, which no JDK code takes (the
   * first caller may be a hook, inside the application's teardown call).
   */
  public TeardownCounters counters() {
    TeardownCounters made = counters;
    if (made == null) {
      synchronized (this) {
        made = counters;
        if (made == null) {
          made = new TeardownCounters();
          counters = made;
        }
      }
    }
    return made;
  }

  /** From now on, findings and ({@code events=all}) teardowns also go to {@code flight}. */
  public void flightEvents(FlightEvents flight) {
    this.flight = flight;
  }

  public void addListener(Consumer<FindingEvent> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<FindingEvent> listener) {
    listeners.remove(listener);
  }

  /** Whether a teardown with this outcome is reported (else {@link #count} is all it needs). */
  public boolean wantsRecord(Outcome outcome) {
    return allEvents || !outcome.findings().isEmpty();
  }

  /**
   * Counts a teardown that is not reported, without its record.
   *
   * @return true when it is the one in {@link #TIME_WAIT_SAMPLE} after the threshold whose
   *     {@code SERVER_SIDE_TIME_WAIT} is reported: the caller then hands its record to
   *     {@link #serverSideTimeWait}
   */
  public boolean count(TeardownCall call, JavaApi api, Outcome outcome, boolean serverSide) {
    counters().teardown(call, api, outcome, OutcomeClass.of(outcome.allWire()));
    return timeWait(outcome, serverSide) > 0;
  }

  /**
   * Counts a teardown the model says finds nothing and loses nothing, from its verdict alone (no
   * outcome made), as {@link #count} counts it.
   *
   * @return false, having counted nothing, when the caller must make the outcome and go through
   *     {@link #count} or {@link #record}: {@code events=all}, or the close would be the sampled
   *     server-side TIME_WAIT one
   */
  public boolean countQuiet(TeardownCall call, JavaApi api, OutcomeClass outcome, boolean localTimeWait,
      boolean serverSide) {
    if (allEvents || serverSide && localTimeWait && !countUnsampledTimeWait()) {
      return false;
    }
    counters().teardown(call, api, outcome, 0, 0, localTimeWait);
    return true;
  }

  /** Called on the application's thread, inside the teardown call: no I/O, no blocking. */
  public void record(TeardownRecord record) {
    OutcomeClass outcome = OutcomeClass.of(record.outcome().allWire());
    counters().teardown(record.call(), record.snapshot().api(), record.outcome(), outcome);
    if (allEvents) {
      if (writer != null) {
        record.callSite().get();
        writer.submit(() -> ReportJson.teardown(record));
      }
      flight(record, null, null, outcome);
    }
    for (Finding finding : record.outcome().findings()) {
      finding(record, finding, outcome);
    }
    long closes = timeWait(record.outcome(), record.serverSide());
    if (closes > 0) {
      serverSideTimeWait(record, closes, outcome);
    }
  }

  /** The sampled server-side TIME_WAIT teardown {@link #count} asked for: its finding. */
  public void serverSideTimeWait(TeardownRecord record) {
    serverSideTimeWait(record, serverSideTimeWait.get(), OutcomeClass.of(record.outcome().allWire()));
  }

  private void serverSideTimeWait(TeardownRecord record, long closes, OutcomeClass outcome) {
    finding(record, ServerSideTimeWait.after(closes), outcome);
  }

  /**
   * Counts a server-side TIME_WAIT (the counters counted the local one); returns the server-side
   * count when its finding is due now, else 0.
   */
  private long timeWait(Outcome outcome, boolean serverSide) {
    if (!serverSide || !LocalTimeWait.after(outcome)) {
      return 0;
    }
    long closes = serverSideTimeWait.incrementAndGet();
    return sampled(closes) ? closes : 0;
  }

  /**
   * Counts one server-side TIME_WAIT close unless it would be a sampled one: those are left to
   * {@link #timeWait}, so that every sampled count is taken where its call site is walked.
   */
  private boolean countUnsampledTimeWait() {
    long closes;
    do {
      closes = serverSideTimeWait.get();
      if (sampled(closes + 1)) {
        return false;
      }
    } while (!serverSideTimeWait.compareAndSet(closes, closes + 1));
    return true;
  }

  private boolean sampled(long closes) {
    return closes == timeWaitThreshold || (closes > timeWaitThreshold && closes % TIME_WAIT_SAMPLE == 0);
  }

  /**
   * A finding: the site alone is walked to find its (rule, site) aggregate; the whole stack only
   * the first time, for the report line.
   */
  private void finding(TeardownRecord record, Finding finding, OutcomeClass outcome) {
    CallSite site = record.callSite().site();
    String key = finding.ruleId() + "|" + site.site();
    FindingAggregate aggregate = findings.get(key);
    if (aggregate == null) {
      if (findings.size() >= MAX_SITES) {
        aggregate = findings.computeIfAbsent(finding.ruleId() + "|" + OTHER_SITES,
            k -> new FindingAggregate(finding.rule(), OTHER_SITES));
      } else {
        FindingAggregate fresh = new FindingAggregate(finding.rule(), site.site());
        aggregate = findings.putIfAbsent(key, fresh);
        if (aggregate == null) {
          aggregate = fresh;
          if (writer != null) {
            record.callSite().get(); // the stack is walked here, on the closing thread
            writer.submit(() -> ReportJson.finding(record, finding));
          }
        }
      }
    }
    aggregate.count.increment();
    counters().finding(finding.rule());
    flight(record, finding, site, outcome);
    FindingEvent event = new FindingEvent(finding.ruleId(), finding.severity(), finding.message(), site.site(),
        site.api(), record.op());
    for (Consumer<FindingEvent> listener : listeners) {
      listener.accept(event);
    }
  }

  /** A JFR event: a finding's, or (finding null) a teardown's. An error here is the agent's, counted. */
  private void flight(TeardownRecord record, Finding finding, CallSite site, OutcomeClass outcome) {
    try {
      if (finding == null) {
        flight.teardown(record, outcome);
      } else {
        flight.finding(record, finding, site, outcome);
      }
    } catch (Throwable t) {
      agentErrors.incrementAndGet();
    }
  }

  /** The state of the counts, for the exit summary and the metrics. */
  public Totals totals() {
    TeardownCounters counted = counters;
    Map<OutcomeClass, Long> byOutcome = new EnumMap<>(OutcomeClass.class);
    for (OutcomeClass outcome : OutcomeClass.values()) {
      byOutcome.put(outcome, counted == null ? 0 : counted.teardowns(outcome));
    }
    List<Totals.Site> sites = new ArrayList<>();
    long findingLines = 0;
    for (FindingAggregate aggregate : findings.values()) {
      sites.add(new Totals.Site(aggregate.rule, aggregate.site, aggregate.count.sum()));
      if (!aggregate.site.equals(OTHER_SITES)) {
        findingLines++;
      }
    }
    long teardownLines = 0;
    if (allEvents) {
      for (long teardowns : byOutcome.values()) {
        teardownLines += teardowns;
      }
    }
    return new Totals(byOutcome, sites, counted == null ? 0 : counted.localTimeWait(), serverSideTimeWait.get(), agentErrors.get(),
        dropped(teardownLines + findingLines), writer == null ? null : writer.file(),
        writer == null ? null : writer.problem());
  }

  /**
   * Report lines not in the report. Once the writer is closed (JVM exit), the lines that the counts
   * just read call for (one per teardown with events=all, one per rule and call site) less those
   * whole in the file: the closing threads of a JVM that is exiting go on counting, so only a
   * figure derived from the same counts as the summary adds up with it. Every line in the file
   * was counted before the writer closed (a teardown is counted before its line is offered), and
   * the counts are read after that.
   */
  private long dropped(long linesCounted) {
    if (writer == null) {
      return 0;
    }
    return writer.closed() ? Math.max(0, linesCounted - writer.written()) : writer.dropped();
  }

  /** Stops the writer after draining it (bounded); for JVM exit. */
  public void close() {
    if (writer != null) {
      writer.close();
    }
  }
}
