package io.teardownguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teardownguard.it.support.HttpServerRejectApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13 point 5: when the JDK's HttpServer closes a connection whose handler left the request
 * body unread, the finding names that HttpHandler as its site and says to read or drain the body
 * there; the stack is the JDK's closing frames. Child JVMs under -javaagent, JDK 17 and 25.
 */
final class HttpServerHandlerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP = HttpServerRejectApp.class.getName();
  /** The HttpServer's connections are SocketChannels; the client is a java.net.Socket. */
  private static final String SERVER_API = "java.nio.channels.SocketChannel";

  @TempDir
  Path dir;

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  @Timeout(60)
  void theFindingNamesTheHandlerThatLeftTheBodyUnread(int feature) throws Exception {
    Path report = dir.resolve("report.jsonl");

    ChildJvm.Result run = ChildJvm.run(ChildJvm.jdk(feature), 40,
        List.of("-javaagent:" + ChildJvm.AGENT_JAR + "=summary=stderr,report=" + report),
        "-cp", System.getProperty("tg.testClasses", "target/test-classes"), HttpServerRejectApp.class.getName());

    assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
    List<JsonNode> findings = new ArrayList<>();
    for (String line : Files.readAllLines(report)) {
      JsonNode event = JSON.readTree(line);
      if (event.get("type").asText().equals("finding") && event.get("api").asText().equals(SERVER_API)) {
        findings.add(event);
      }
    }
    assertEquals(1, findings.size(), findings.toString());
    JsonNode finding = findings.get(0);
    assertEquals("CLOSE_WITH_UNREAD_DATA", finding.get("rule").asText());
    // The handler's own line: the lambda's try-with-resources that closed the exchange.
    String site = finding.get("site").asText();
    assertTrue(site.matches("\\Q" + APP + "\\E\\.lambda\\$main\\$\\d+\\(HttpServerRejectApp\\.java:\\d+\\)"), site);
    assertTrue(finding.get("message").asText().contains("because the HttpHandler " + APP + "$$Lambda (context /upload)"
        + " ended its exchange at " + site + " with the request body unread: read or drain the request body"),
        finding.toString());
    assertTrue(finding.get("stack").get(0).asText().contains("sun.net.httpserver."), finding.toString());
    assertTrue(run.stderr().contains(site), run.stderr());
    assertTrue(run.stderr().contains("internal errors 0"), run.stderr());
  }
}
