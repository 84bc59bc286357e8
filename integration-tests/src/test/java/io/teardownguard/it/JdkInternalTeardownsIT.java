package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teardownguard.it.support.JdkInternalTeardowns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Teardowns the JDK makes itself, and calls that take no effect, under the agent in a child JVM
 * ({@link JdkInternalTeardowns}): what the application did is reported once, at its own line;
 * what the JDK did on its own names the JDK's frame; nothing else is reported.
 */
final class JdkInternalTeardownsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP = JdkInternalTeardowns.class.getName();
  private static final Set<String> SHUTDOWN_RULES = Set.of("SHUTDOWN_INPUT_HIDES_DATA", "RESET_ON_DATA_AFTER_SHUTDOWN");

  @TempDir
  Path dir;

  @ParameterizedTest(name = "JDK {0}, {1}")
  @CsvSource({"17, TLSv1.3", "17, TLSv1.2", "25, TLSv1.3", "25, TLSv1.2"})
  @Timeout(120)
  void anSslSocketCloseIsOneTeardownOfTheSslSocketApi(int feature, String protocol) throws Exception {
    List<JsonNode> events = run(feature, "tls", protocol);

    // Every close read everything first: the TLS layer's own shutdowns are not the application's.
    assertEquals(List.of(), select(events, e -> SHUTDOWN_RULES.contains(e.path("rule").asText())));
    assertEquals(List.of(), select(events, e -> isTeardown(e) && e.get("thread").asText().startsWith("tls-")
        && e.get("op").asText().equals("shutdownInput")));
    for (String thread : List.of("tls-plain-server", "tls-layered-server", "tls-kept-server", "tls-plain-client",
        "tls-layered-client")) {
      List<JsonNode> closes = select(events, e -> isTeardown(e) && e.get("thread").asText().equals(thread)
          && e.get("op").asText().equals("close"));
      assertEquals(1, closes.size(), () -> thread + ": " + closes);
      assertEquals("javax.net.ssl.SSLSocket", closes.get(0).get("api").asText(), closes.get(0)::toString);
    }
    // autoClose false: the TLS close leaves the socket beneath open (nothing on its wire); the
    // application closes it.
    List<JsonNode> kept = select(events, e -> isTeardown(e) && e.get("thread").asText().equals("tls-kept-client"));
    assertEquals(List.of("javax.net.ssl.SSLSocket", "java.net.Socket"),
        kept.stream().map(e -> e.get("api").asText()).toList(), kept::toString);
    assertEquals("[]", kept.get(0).get("predicted").get("wire").toString(), kept::toString);
  }

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(120)
  void aCloseTheJdkMakesNamesTheHandlerThatCausedItAndTheJdkStack(int feature) throws Exception {
    List<JsonNode> events = run(feature, "http413");

    List<JsonNode> unread = select(events, e -> e.get("type").asText().equals("finding")
        && e.get("rule").asText().equals("CLOSE_WITH_UNREAD_DATA") && e.get("thread").asText().startsWith("HTTP-Dispatcher"));
    assertEquals(1, unread.size(), events::toString);
    JsonNode finding = unread.get(0);
    // The dispatcher's close has no application frame; the handler that left the body unread is
    // named instead (issue 13 point 5), with the JDK's closing frames as the stack.
    assertTrue(finding.get("site").asText().startsWith(JdkInternalTeardowns.class.getName() + "$RejectingHandler.handle("),
        finding::toString);
    assertTrue(finding.get("stack").toString().contains("sun.net.httpserver.ServerImpl$Dispatcher"), finding::toString);
  }

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(120)
  void callsThatThrowAreNotReportedAndNoReusedDescriptorIsProbed(int feature) throws Exception {
    ChildJvm.Result result = runChild(feature, "failed-calls");
    assertTrue(result.stdout().contains("shutdownInput of a closed channel: threw ClosedChannelException"), result::stdout);
    assertTrue(result.stdout().contains("new connection still holds: 777"), result::stdout);
    List<JsonNode> events = report();

    assertEquals(List.of(), select(events, e -> e.get("thread").asText().equals("failed-calls")
        && (e.get("type").asText().equals("finding") || e.get("op").asText().startsWith("shutdown"))));
    assertFalse(select(events, e -> isTeardown(e) && e.get("thread").asText().equals("failed-calls")).isEmpty(),
        "the closes that took effect are reported");
  }

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(120)
  void unixDomainChannelsAreNotReportedAsTcp(int feature) throws Exception {
    ChildJvm.Result result = runChild(feature, "unix");
    // What the model would have to predict, and does not: the peer is reset, with no FIN first.
    assertTrue(result.stdout().contains("unix peer after close with unread bytes: read threw Connection reset"),
        result::stdout);
    List<JsonNode> events = report();

    assertEquals(List.of(), select(events, e -> e.get("thread").asText().equals("unix")));
    assertFalse(select(events, e -> e.get("type").asText().equals("finding")
        && e.get("thread").asText().equals("tcp-control")).isEmpty(), "the agent watched the TCP control case");
  }

  /**
   * SIOCOUTQ counts bytes in flight as well as bytes not yet sent; only the latter, and only when
   * the peer's window holds them, keep a FIN back. With 300 bytes in flight and 80 held by Nagle,
   * the agent must read them apart and predict the FIN that tcpdump sees (the old reading, 380
   * "unsent", predicted none). Needs root: tcpdump on lo in a private network namespace.
   */
  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(120)
  void shutdownOutputWithBytesInFlightSendsTheFinTheAgentPredicts(int feature) throws Exception {
    assumeTrue(ChildJvm.runningAsRoot(), "the wire check needs root (tcpdump in a private network namespace)");
    Path pcap = dir.resolve("in-flight.pcap");
    Path out = dir.resolve("in-flight.out");
    String child = ChildJvm.jdk(feature).resolve("bin/java") + " -javaagent:" + ChildJvm.AGENT_JAR
        + "=events=all,summary=off,report=" + dir.resolve("report.jsonl") + " -cp "
        + System.getProperty("tg.testClasses", "target/test-classes") + " " + APP + " in-flight > " + out;
    Process shell = new ProcessBuilder("unshare", "-n", "sh", "-c", "ip link set lo up; tcpdump -i lo -n -U -w " + pcap
        + " 2>/dev/null & capture=$!; sleep 1; " + child + "; status=$?; sleep 1; kill $capture; wait; exit $status")
        .redirectErrorStream(true).start();
    String shellOutput = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(shell.waitFor(90, TimeUnit.SECONDS), "the capture did not finish");
    assertEquals(0, shell.exitValue(), shellOutput);
    String port = Files.readAllLines(out).stream().filter(l -> l.startsWith("in-flight local port "))
        .map(l -> l.substring("in-flight local port ".length())).findFirst().orElseThrow();

    JsonNode shutdown = select(report(), e -> isTeardown(e) && e.get("thread").asText().equals("in-flight")
        && e.get("op").asText().equals("shutdownOutput")).get(0);
    JsonNode kernel = shutdown.get("kernel");
    assertTrue(kernel.get("notSentBytes").asLong() > 0 && kernel.get("unackedBytes").asLong() > 0,
        () -> "the peer acknowledged before the probe: " + shutdown);
    assertEquals("[\"FIN\"]", shutdown.get("predicted").get("wire").toString(), shutdown::toString);
    Process read = new ProcessBuilder("tcpdump", "-r", pcap.toString(), "-n",
        "src port " + port + " and tcp[tcpflags] & tcp-fin != 0").redirectErrorStream(true).start();
    String fins = new String(read.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    read.waitFor(30, TimeUnit.SECONDS);
    assertEquals(1, fins.lines().filter(l -> l.contains("Flags [F")).count(), fins);
  }

  private List<JsonNode> run(int feature, String... args) throws Exception {
    runChild(feature, args);
    return report();
  }

  private ChildJvm.Result runChild(int feature, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("-cp", System.getProperty("tg.testClasses", "target/test-classes"), APP));
    command.addAll(List.of(args));
    ChildJvm.Result result = ChildJvm.run(ChildJvm.jdk(feature), 90,
        List.of("-javaagent:" + ChildJvm.AGENT_JAR + "=events=all,summary=off,report=" + dir.resolve("report.jsonl")),
        command.toArray(String[]::new));
    assertEquals(0, result.exitCode(), () -> result.stdout() + result.stderr());
    assertTrue(result.stdout().contains("done"), result::stdout);
    return result;
  }

  private List<JsonNode> report() throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("report.jsonl"))) {
      JsonNode event = JSON.readTree(line);
      if (event.has("thread")) {
        events.add(event);
      }
    }
    return events;
  }

  private static boolean isTeardown(JsonNode event) {
    return event.get("type").asText().equals("teardown");
  }

  private static List<JsonNode> select(List<JsonNode> events, Predicate<JsonNode> which) {
    return events.stream().filter(which).toList();
  }
}
