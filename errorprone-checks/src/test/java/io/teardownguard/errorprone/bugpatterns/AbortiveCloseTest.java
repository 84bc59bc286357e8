package io.teardownguard.errorprone.bugpatterns;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class AbortiveCloseTest {
  private final CompilationTestHelper compilationTestHelper =
      CompilationTestHelper.newInstance(AbortiveClose.class, getClass());
  private final BugCheckerRefactoringTestHelper refactoringTestHelper =
      BugCheckerRefactoringTestHelper.newInstance(AbortiveClose.class, getClass());

  @Test
  void identification() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;
            import java.net.StandardSocketOptions;
            import java.nio.channels.SocketChannel;

            class A {
              private static final int NO_LINGER = 0;
              private Socket pooled;

              void socket(Socket socket) throws IOException {
                // BUG: Diagnostic contains: AbortiveClose
                socket.setSoLinger(true, 0);
                socket.close();
              }

              void field() throws IOException {
                // BUG: Diagnostic contains: AbortiveClose
                pooled.setSoLinger(true, NO_LINGER);
              }

              void channelOption(SocketChannel channel) throws IOException {
                // BUG: Diagnostic contains: AbortiveClose
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
              }

              void socketOption(Socket socket) throws IOException {
                // BUG: Diagnostic contains: AbortiveClose
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
              }

              void madeHereAndWrittenTo(java.net.SocketAddress server) throws IOException {
                try (Socket socket = new Socket()) {
                  // BUG: Diagnostic contains: AbortiveClose
                  socket.setSoLinger(true, 0);
                  socket.connect(server);
                  socket.getOutputStream().write(1);
                }
              }

              Socket madeHereAndReturned() throws IOException {
                Socket socket = new Socket();
                // BUG: Diagnostic contains: AbortiveClose
                socket.setSoLinger(true, 0);
                return socket;
              }
            }
            """)
        .doTest();
  }

  @Test
  void negative() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;
            import java.net.StandardSocketOptions;
            import java.nio.channels.SocketChannel;

            class A {
              void lingerOff(Socket socket) throws IOException {
                socket.setSoLinger(false, 0);
                socket.setOption(StandardSocketOptions.SO_LINGER, -1);
              }

              void positiveLinger(Socket socket, SocketChannel channel) throws IOException {
                socket.setSoLinger(true, 5);
                channel.setOption(StandardSocketOptions.SO_LINGER, 5);
              }

              void notAConstant(Socket socket, int seconds) throws IOException {
                socket.setSoLinger(true, seconds);
              }

              void anotherOption(Socket socket) throws IOException {
                socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                socket.setSoTimeout(0);
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeConnectionThatCarriesNoData() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;
            import java.net.SocketAddress;

            class A {
              void unlockAcceptor(SocketAddress listener) throws IOException {
                try (Socket socket = new Socket()) {
                  socket.setSoTimeout(1000);
                  socket.setSoLinger(true, 0);
                  socket.connect(listener, 1000);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeAbortNamedByTheCode() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;
            import java.net.StandardSocketOptions;
            import java.nio.channels.SocketChannel;

            class A {
              enum CloseMode { GRACEFUL, IMMEDIATE }

              void fastCloseSock(SocketChannel channel) throws IOException {
                channel.socket().setSoLinger(true, 0);
                channel.close();
              }

              void abortConnection(Socket socket) throws IOException {
                socket.setSoLinger(true, 0);
                socket.close();
              }

              void close(SocketChannel channel, CloseMode closeMode) throws IOException {
                if (closeMode == CloseMode.IMMEDIATE) {
                  try {
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                  } catch (IOException ignored) {
                    // closed anyway below
                  }
                } else {
                  channel.shutdownOutput();
                }
                channel.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void identificationWhereTheConditionDoesNotNameTheAbort() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              enum CloseMode { GRACEFUL, IMMEDIATE }

              void close(Socket socket, boolean pooled, CloseMode closeMode) throws IOException {
                if (pooled) {
                  // BUG: Diagnostic contains: AbortiveClose
                  socket.setSoLinger(true, 0);
                }
                if (closeMode == CloseMode.IMMEDIATE) {
                  socket.shutdownOutput();
                } else {
                  // BUG: Diagnostic contains: AbortiveClose
                  socket.setSoLinger(true, 0);
                }
                socket.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void replacementSuppressesRatherThanTurningLingerOff() {
    refactoringTestHelper
        .addInputLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              void closeConnection(Socket socket) throws IOException {
                socket.setSoLinger(true, 0);
                socket.close();
              }
            }
            """)
        .addOutputLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              @SuppressWarnings("AbortiveClose")
              void closeConnection(Socket socket) throws IOException {
                socket.setSoLinger(true, 0);
                socket.close();
              }
            }
            """)
        .doTest(BugCheckerRefactoringTestHelper.TestMode.TEXT_MATCH);
  }
}
