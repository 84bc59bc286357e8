package io.teardownguard.agent.junit;

import io.teardownguard.agent.TeardownGuard;
import io.teardownguard.agent.report.FindingEvent;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 side of {@link TeardownGuarded}: installs the agent once, collects the findings
 * made while each test runs, and fails (or reports) after it. Findings are collected from every
 * thread, so tests run in parallel should not share the extension.
 */
public final class TeardownGuardExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TeardownGuardExtension.class);

  /** Findings of one test, and the listener that collects them. */
  private record Collector(Queue<FindingEvent> findings, Consumer<FindingEvent> listener) {}

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!TeardownGuard.install(settings(context).options())) {
      throw new IllegalStateException("Teardown Guard could not be installed in this JVM; see stderr");
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Queue<FindingEvent> findings = new ConcurrentLinkedQueue<>();
    Collector collector = new Collector(findings, findings::add);
    TeardownGuard.addFindingListener(collector.listener());
    context.getStore(NAMESPACE).put(Collector.class, collector);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Collector collector = context.getStore(NAMESPACE).remove(Collector.class, Collector.class);
    if (collector == null) {
      return;
    }
    TeardownGuard.removeFindingListener(collector.listener());
    TeardownGuarded settings = settings(context);
    List<FindingEvent> failing = collector.findings().stream()
        .filter(f -> f.severity().compareTo(settings.failOn()) >= 0)
        .distinct()
        .toList();
    collector.findings().stream().distinct()
        .forEach(f -> context.publishReportEntry("teardown-guard", f.toString()));
    if (failing.isEmpty()) {
      return;
    }
    String text = failing.stream().map(FindingEvent::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
    if (settings.reportOnly()) {
      System.err.println("teardown-guard: " + context.getDisplayName() + ":" + text);
    } else {
      throw new AssertionError("Teardown Guard found unsafe socket teardown in " + context.getDisplayName() + ":" + text);
    }
  }

  private static TeardownGuarded settings(ExtensionContext context) {
    return context.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, TeardownGuarded.class))
        .or(() -> context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, TeardownGuarded.class)))
        .orElseGet(() -> Defaults.class.getAnnotation(TeardownGuarded.class));
  }

  /** The settings of a bare {@code @ExtendWith(TeardownGuardExtension.class)}. */
  @TeardownGuarded
  private static final class Defaults {}
}
