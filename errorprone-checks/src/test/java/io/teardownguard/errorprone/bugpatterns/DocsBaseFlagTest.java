package io.teardownguard.errorprone.bugpatterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.ErrorProneFlags;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Diagnostics link to one base: the project's pages, or -XepOpt:TeardownGuard:DocsBase's. */
final class DocsBaseFlagTest {
  private static final String SOURCE = """
      import java.io.IOException;
      import java.net.Socket;

      class A {
        void reject(Socket socket) throws IOException {
          socket.getInputStream().read();
          // BUG: Diagnostic contains: (see %s)
          socket.close();
        }
      }
      """;

  @Test
  void theDefaultLinkIsTheProjectsPage() {
    CompilationTestHelper.newInstance(CloseWithUnreadData.class, getClass())
        .addSourceLines("A.java", SOURCE.formatted(CheckDocs.BASE + "CloseWithUnreadData.md"))
        .doTest();
  }

  @Test
  void theFlagMovesEveryLink() {
    CompilationTestHelper.newInstance(CloseWithUnreadData.class, getClass())
        .setArgs("-XepOpt:TeardownGuard:DocsBase=https://docs.example.test/teardown")
        .addSourceLines("A.java",
            SOURCE.formatted("https://docs.example.test/teardown/CloseWithUnreadData.md"))
        .doTest();
  }

  @Test
  void aBaseThatIsNotAUrlIsNamedOnStderrAndIgnored() {
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    String base;
    try {
      base = CheckDocs.base(ErrorProneFlags.fromMap(Map.of(CheckDocs.FLAG, "docs/checks")));
    } finally {
      System.setErr(stderr);
    }
    assertEquals(CheckDocs.BASE, base);
    String message = captured.toString(StandardCharsets.UTF_8);
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.contains("-XepOpt:TeardownGuard:DocsBase=docs/checks")
        && message.contains("http"), message);
  }
}
