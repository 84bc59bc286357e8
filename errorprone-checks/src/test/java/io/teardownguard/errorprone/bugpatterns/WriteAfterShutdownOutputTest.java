package io.teardownguard.errorprone.bugpatterns;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class WriteAfterShutdownOutputTest {
  private final CompilationTestHelper compilationTestHelper =
      CompilationTestHelper.newInstance(WriteAfterShutdownOutput.class, getClass());

  @Test
  void identification() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.io.OutputStream;
            import java.io.PrintWriter;
            import java.net.Socket;
            import java.nio.ByteBuffer;
            import java.nio.channels.SocketChannel;

            class A {
              void stream(Socket socket) throws IOException {
                OutputStream out = socket.getOutputStream();
                out.write(1);
                socket.shutdownOutput();
                // BUG: Diagnostic contains: WriteAfterShutdownOutput
                out.write(2);
              }

              void writer(Socket socket, boolean done) throws IOException {
                PrintWriter writer = new PrintWriter(socket.getOutputStream(), true);
                if (done) {
                  socket.shutdownOutput();
                }
                // BUG: Diagnostic contains: WriteAfterShutdownOutput
                writer.println("bye");
              }

              void channel(SocketChannel channel) throws IOException {
                channel.shutdownOutput();
                // BUG: Diagnostic contains: WriteAfterShutdownOutput
                channel.write(ByteBuffer.allocate(1));
              }

              void throughAHelper(SocketChannel channel) throws IOException {
                channel.shutdownOutput();
                // BUG: Diagnostic contains: WriteAfterShutdownOutput
                reply(channel);
              }

              private static void reply(SocketChannel channel) throws IOException {
                channel.write(ByteBuffer.allocate(1));
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeWriteBeforeShutdown() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.io.OutputStream;
            import java.net.Socket;

            class A {
              void inOrder(Socket socket) throws IOException {
                OutputStream out = socket.getOutputStream();
                out.write(1);
                out.flush();
                socket.shutdownOutput();
                socket.getInputStream().readAllBytes();
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
                  socket.shutdownOutput();
                } else {
                  socket.getOutputStream().write(1);
                }
              }

              void shutdownThenLeave(Socket socket, boolean done) throws IOException {
                if (done) {
                  socket.shutdownOutput();
                  return;
                }
                socket.getOutputStream().write(1);
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeAnotherConnection() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              void two(Socket first, Socket second) throws IOException {
                first.shutdownOutput();
                second.getOutputStream().write(1);
              }

              void rebound(Socket socket, int port) throws IOException {
                socket.shutdownOutput();
                socket = new Socket("localhost", port);
                socket.getOutputStream().write(1);
              }
            }
            """)
        .doTest();
  }
}
