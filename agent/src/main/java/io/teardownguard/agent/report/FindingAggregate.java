package io.teardownguard.agent.report;

import io.teardownguard.model.rules.Rule;
import java.util.concurrent.atomic.LongAdder;

/** One rule at one call site: reported once, counted every time. */
final class FindingAggregate {
  final Rule rule;
  final String site;
  final LongAdder count = new LongAdder();

  FindingAggregate(Rule rule, String site) {
    this.rule = rule;
    this.site = site;
  }
}
