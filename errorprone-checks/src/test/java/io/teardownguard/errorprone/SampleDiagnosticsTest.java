package io.teardownguard.errorprone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiles sample-apps' sources with javac, Error Prone and this module's checks (from the test
 * class path, as the sample-apps build does from the reactor), and holds the diagnostics to the
 * table below: each unsafe program's expected diagnostics (check and method), or, for hazards no
 * compile-time check can see, the reason it is silent; each safe program none.
 *
 * <p>It lives here rather than in sample-apps because it needs Error Prone on its class path,
 * and the sample programs must stay free of dependencies; it reads their sources directly.
 */
final class SampleDiagnosticsTest {

  private static final String SAMPLES = "io.teardownguard.samples.";

  /** An expected diagnostic: check and the method that holds it; or a reason for silence. */
  private record Expected(List<String> diagnostics, String silentBecause) {
    static Expected diagnostics(String... checkAtMethod) {
      return new Expected(List.of(checkAtMethod), "");
    }

    static Expected silent(String reason) {
      return new Expected(List.of(), reason);
    }
  }

  /** Per unsafe program (samples.txt); every safe program expects nothing. */
  private static final Map<String, Expected> UNSAFE = new LinkedHashMap<>();

  static {
    UNSAFE.put("closewithunreaddata.OversizedUploadUnsafe", Expected.silent(
        "rejectOversized only writes and closes; that the body is still arriving is known from"
            + " the request head read in refuseOne, which hands the socket on through a"
            + " functional interface. The same write-then-close shape with a silent peer"
            + " (ReportUploader.sendAndClose) is safe, so one method body cannot tell them"
            + " apart."));
    UNSAFE.put("closewithunreaddata.StatusCheckUnsafe",
        Expected.diagnostics("CloseWithUnreadData@closewithunreaddata.HealthCheck.checkStatus"));
    UNSAFE.put("closewithunreaddata.SelectorServerUnsafe", Expected.diagnostics(
        "CloseWithUnreadData@closewithunreaddata.CommandServer.replyAfterHeader"));
    UNSAFE.put("senddatadiscarded.UnreadGreetingUnsafe", Expected.silent(
        "sendAndClose never reads; the unread data is a greeting the server sends (a protocol"
            + " fact, SMTP-like), invisible in the client's code, and SEND_DATA_DISCARDED"
            + " depends on how much the peer has not acknowledged at run time."));
    UNSAFE.put("listenerclosedwithpendingconnections.ServerRestartUnsafe", Expected.silent(
        "a listener's close is only unsafe when the accept queue is not empty at that moment:"
            + " run-time state (inet_csk_listen_stop), not code shape."));
    UNSAFE.put("abortiveclose.PoolShutdownUnsafe",
        Expected.diagnostics("AbortiveClose@abortiveclose.ConnectionPool.shutdown"));
    UNSAFE.put("serversidetimewait.TimeChurnUnsafe", Expected.silent(
        "closing first is correct on one connection; the hazard is the rate of such closes"
            + " across many connections (tcp_time_wait), which only the agent counts."));
    UNSAFE.put("resetondataaftershutdown.BatchIngestUnsafe", Expected.diagnostics(
        "ShutdownInputHidesData@resetondataaftershutdown.IngestServer.hangUp",
        "ResetOnDataAfterShutdown@resetondataaftershutdown.IngestServer.hangUp"));
    UNSAFE.put("shutdowninputhidesdata.WebhookUnsafe", Expected.diagnostics(
        "ShutdownInputHidesData@shutdowninputhidesdata.WebhookReceiver.ignoreBody"));
    UNSAFE.put("blockinglingerclose.LingeringUploadUnsafe", Expected.diagnostics(
        "BlockingLingerClose@blockinglingerclose.ReportUploader.sendAndClose"));
    UNSAFE.put("closedeferredbyselector.EventLoopStopUnsafe", Expected.silent(
        "whether a Selector selects again after the close is decided at run time by the loop"
            + " (SelectorImpl.processDeregisterQueue); closeAndStop is a plain close."));
  }

  static {
    UNSAFE.put("nettyepoll.EpollUploadUnsafe", Expected.silent(
        "the close is Netty's ChannelHandlerContext.close(), a native socket's close through JNI:"
            + " the checks look at the JDK's socket classes only, and whether the upload's body is"
            + " still arriving is run-time state the agent's Netty hooks see."));
    UNSAFE.put("closewithunreaddata.AsyncUploadUnsafe", Expected.silent(
        "as OversizedUploadUnsafe, on completion handlers: rejectOversized only closes, and the"
            + " head that shows a body is coming was read in another handler (readHead), which"
            + " passes the channel on through the Rejection interface; the checks follow no"
            + " callback across CompletionHandler boundaries."));
    UNSAFE.put("tlsclosediscardsdata.TlsIngestUnsafe", Expected.diagnostics(
        "TlsCloseDiscardsData@tlsclosediscardsdata.IngestServer.refuseAfterHeader"));
  }

  private static final Pattern CATALOGUE_LINE = Pattern.compile(
      "^io\\.teardownguard\\.samples\\.(\\S+) (\\S+)$", Pattern.MULTILINE);
  private static final Pattern CHECK_NAME = Pattern.compile("^\\[(\\w+)\\]");

  private static Map<String, String> catalogue;
  private static Set<String> found;

  @BeforeAll
  static void compileTheSamples() throws IOException {
    Path samples = TeardownChecks.root().resolve("sample-apps/src/main");
    catalogue = new LinkedHashMap<>();
    Matcher line = CATALOGUE_LINE.matcher(
        Files.readString(samples.resolve("resources/samples.txt")));
    while (line.find()) {
      catalogue.put(line.group(1), line.group(2));
    }
    found = compile(samples.resolve("java"));
  }

  @Test
  void everyCataloguedProgramHasACompileTimeExpectation() {
    for (String program : catalogue.keySet()) {
      assertTrue(!program.endsWith("Unsafe") || UNSAFE.containsKey(program),
          "no compile-time expectation for " + program);
    }
    assertTrue(catalogue.keySet().containsAll(UNSAFE.keySet()), "table names unknown programs");
  }

  @Test
  void theChecksReportExactlyTheExpectedDiagnostics() {
    Set<String> expected = UNSAFE.values().stream().flatMap(e -> e.diagnostics().stream())
        .collect(Collectors.toCollection(TreeSet::new));
    // Equality: nothing in a safe program's code, nothing beyond the table in an unsafe one.
    assertEquals(expected, found);
  }

  @Test
  void everyDiagnosticOfARuleCheckIsAFindingTheAgentReportsThere() {
    for (Map.Entry<String, Expected> entry : UNSAFE.entrySet()) {
      String atRunTime = catalogue.get(entry.getKey());
      for (String diagnostic : entry.getValue().diagnostics()) {
        String[] parts = diagnostic.split("@", 2);
        assertTrue(atRunTime.contains(TeardownChecks.ruleId(parts[0]) + "@" + SAMPLES + parts[1]),
            diagnostic + " is not among the agent's findings for " + entry.getKey() + ": "
                + atRunTime);
      }
    }
  }

  @Test
  void everySilentUnsafeProgramSaysWhy() {
    for (Map.Entry<String, Expected> entry : UNSAFE.entrySet()) {
      Expected expected = entry.getValue();
      assertTrue(expected.diagnostics().isEmpty() != expected.silentBecause().isEmpty(),
          entry.getKey() + ": either diagnostics or a reason for silence");
    }
  }

  /** Runs javac with Error Prone and our checks only; returns "Check@package.Class.method". */
  private static Set<String> compile(Path sources) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<File> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).toList();
    }
    Path out = Files.createTempDirectory("samples-classes");
    StringBuilder plugin = new StringBuilder("-Xplugin:ErrorProne -XepDisableAllChecks");
    TeardownChecks.all().forEach(c -> plugin.append(" -Xep:").append(c.getSimpleName()));
    List<String> options = List.of("--release", "17", "-d", out.toString(),
        "-XDcompilePolicy=simple", "--should-stop=ifError=FLOW",
        "-processorpath", System.getProperty("java.class.path"), plugin.toString());
    try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, null)) {
      JavacTask task = (JavacTask) javac.getTask(null, fileManager, diagnostics, options, null,
          fileManager.getJavaFileObjectsFromFiles(files));
      Iterable<? extends CompilationUnitTree> units = task.parse();
      task.analyze();
      Set<String> sites = new TreeSet<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        assertTrue(d.getKind() != Diagnostic.Kind.ERROR, d.toString());
        Matcher check = CHECK_NAME.matcher(d.getMessage(null));
        if (check.find()) {
          sites.add(check.group(1) + "@" + method(units, Trees.instance(task), d));
        }
      }
      return sites;
    }
  }

  /** "package.Class.method" (package relative to the samples) holding the diagnostic. */
  private static String method(Iterable<? extends CompilationUnitTree> units, Trees trees,
      Diagnostic<? extends JavaFileObject> diagnostic) {
    SourcePositions positions = trees.getSourcePositions();
    for (CompilationUnitTree unit : units) {
      if (!unit.getSourceFile().toUri().equals(diagnostic.getSource().toUri())) {
        continue;
      }
      List<String> site = new ArrayList<>();
      new TreeScanner<Void, String>() {
        @Override
        public Void visitClass(ClassTree tree, String outer) {
          return super.visitClass(tree, tree.getSimpleName().toString());
        }

        @Override
        public Void visitMethod(MethodTree tree, String owner) {
          long start = positions.getStartPosition(unit, tree);
          long end = positions.getEndPosition(unit, tree);
          if (start <= diagnostic.getPosition() && diagnostic.getPosition() < end) {
            site.add(owner + "." + tree.getName());
          }
          return null;
        }
      }.scan(unit, null);
      String pkg = unit.getPackageName().toString();
      return pkg.substring(SAMPLES.length()) + "." + site.get(0);
    }
    throw new AssertionError("no source for " + diagnostic);
  }
}
