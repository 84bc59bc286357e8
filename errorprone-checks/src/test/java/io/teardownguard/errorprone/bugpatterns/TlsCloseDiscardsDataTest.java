package io.teardownguard.errorprone.bugpatterns;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class TlsCloseDiscardsDataTest {
  private final CompilationTestHelper compilationTestHelper =
      CompilationTestHelper.newInstance(TlsCloseDiscardsData.class, getClass());
  private final CompilationTestHelper plainCheck =
      CompilationTestHelper.newInstance(CloseWithUnreadData.class, getClass());

  private static final String SOURCE =
      """
      import java.io.BufferedReader;
      import java.io.IOException;
      import java.io.InputStream;
      import java.io.InputStreamReader;
      import java.net.Socket;
      import javax.net.ssl.SSLSocket;

      class A {
        void refuseAfterHeader(SSLSocket socket) throws IOException {
          String head = new BufferedReader(new InputStreamReader(socket.getInputStream())).readLine();
          socket.getOutputStream().write(("413 " + head).getBytes());
          // BUG: Diagnostic contains: TlsCloseDiscardsData
          socket.close();
        }

        void partialReadThroughTheStream(SSLSocket socket) throws IOException {
          InputStream in = socket.getInputStream();
          in.read(new byte[16]);
          // BUG: Diagnostic contains: its close() reads whatever the peer sent
          in.close();
        }

        void drainedFirst(SSLSocket socket) throws IOException {
          InputStream in = socket.getInputStream();
          in.read(new byte[16]);
          in.readAllBytes();
          socket.close();
        }

        void neverRead(SSLSocket socket) throws IOException {
          socket.getOutputStream().write(1);
          socket.close();
        }

        void plainSocket(Socket socket) throws IOException {
          socket.getInputStream().read(new byte[16]);
          socket.close();
        }
      }
      """;

  @Test
  void identification() {
    compilationTestHelper.addSourceLines("A.java", SOURCE).doTest();
  }

  /** Each close is reported by one check: the plain one stays silent on SSLSocket connections. */
  @Test
  void thePlainCheckLeavesSslSocketsToThisOne() {
    plainCheck
        .addSourceLines(
            "A.java",
            SOURCE
                .replace("// BUG: Diagnostic contains: TlsCloseDiscardsData\n", "")
                .replace("// BUG: Diagnostic contains: its close() reads whatever the peer sent\n", "")
                .replace(
                    "socket.getInputStream().read(new byte[16]);\n    socket.close();",
                    "socket.getInputStream().read(new byte[16]);\n"
                        + "    // BUG: Diagnostic contains: CloseWithUnreadData\n"
                        + "    socket.close();"))
        .doTest();
  }
}
