package io.teardownguard.errorprone.bugpatterns;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class ResetOnDataAfterShutdownTest {
  private final CompilationTestHelper compilationTestHelper =
      CompilationTestHelper.newInstance(ResetOnDataAfterShutdown.class, getClass());

  @Test
  void identification() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;
            import java.nio.channels.SocketChannel;

            class A {
              void hangUp(Socket connection) throws IOException {
                connection.shutdownInput();
                // BUG: Diagnostic contains: ResetOnDataAfterShutdown
                connection.shutdownOutput();
                connection.close();
              }

              void outputFirst(SocketChannel channel) throws IOException {
                channel.shutdownOutput();
                // BUG: Diagnostic contains: ResetOnDataAfterShutdown
                channel.shutdownInput();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeOneDirectionOnly() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              void halfClose(Socket connection) throws IOException {
                connection.shutdownOutput();
                connection.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                connection.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeReadToEndOfStreamBeforeTheSecondShutdown() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              void drained(Socket connection) throws IOException {
                connection.shutdownOutput();
                connection.getInputStream().readAllBytes();
                connection.shutdownInput();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeExclusivePaths() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              void either(Socket connection, boolean reading) throws IOException {
                if (reading) {
                  connection.shutdownOutput();
                } else {
                  connection.shutdownInput();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeRebound() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              void two(Socket connection, int port) throws IOException {
                connection.shutdownInput();
                connection = new Socket("localhost", port);
                connection.shutdownOutput();
              }
            }
            """)
        .doTest();
  }
}
