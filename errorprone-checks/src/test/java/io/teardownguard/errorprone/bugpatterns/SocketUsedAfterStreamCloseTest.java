package io.teardownguard.errorprone.bugpatterns;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class SocketUsedAfterStreamCloseTest {
  private final CompilationTestHelper compilationTestHelper =
      CompilationTestHelper.newInstance(SocketUsedAfterStreamClose.class, getClass());

  @Test
  void identification() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.BufferedReader;
            import java.io.IOException;
            import java.io.InputStream;
            import java.io.InputStreamReader;
            import java.net.Socket;

            class A {
              void closeInputThenWrite(Socket socket) throws IOException {
                InputStream in = socket.getInputStream();
                in.readAllBytes();
                in.close();
                // BUG: Diagnostic contains: SocketUsedAfterStreamClose
                socket.getOutputStream().write(1);
              }

              void tryWithResourcesOnTheReader(Socket socket) throws IOException {
                try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream()))) {
                  reader.readLine();
                }
                // BUG: Diagnostic contains: SocketUsedAfterStreamClose
                socket.shutdownOutput();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeStreamClosedLast() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.io.InputStream;
            import java.io.OutputStream;
            import java.net.Socket;

            class A {
              void streamsLast(Socket socket) throws IOException {
                try (InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream()) {
                  out.write(1);
                  socket.shutdownOutput();
                  in.readAllBytes();
                }
              }

              void socketClosedAfterTheStream(Socket socket) throws IOException {
                socket.getInputStream().close();
                socket.close();
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
              void either(Socket socket, boolean done) throws IOException {
                if (done) {
                  socket.getInputStream().close();
                } else {
                  socket.getOutputStream().write(1);
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
              void reconnect(Socket socket, int port) throws IOException {
                socket.getInputStream().close();
                socket = new Socket("localhost", port);
                socket.getOutputStream().write(1);
              }
            }
            """)
        .doTest();
  }
  @Test
  void negativeStreamClosedOnlyOnACalleesFailurePath() {
    compilationTestHelper
        .addSourceLines(
            "Pinger.java",
            """
            import java.io.IOException;
            import java.io.InputStream;
            import java.net.Socket;

            class Pinger {
              private Socket socket = new Socket();
              private InputStream input;

              private boolean setUp() {
                try {
                  input = socket.getInputStream();
                  return true;
                } catch (IOException e) {
                  try {
                    input.close();
                  } catch (IOException ignored) {
                    // nothing to add
                  }
                  return false;
                }
              }

              void ping() throws IOException {
                if (!setUp()) {
                  return;
                }
                socket.setSoTimeout(1000);
              }
            }
            """)
        .doTest();
  }
}
