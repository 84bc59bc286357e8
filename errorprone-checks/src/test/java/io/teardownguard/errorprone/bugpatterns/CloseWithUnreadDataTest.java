package io.teardownguard.errorprone.bugpatterns;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class CloseWithUnreadDataTest {
  private final CompilationTestHelper compilationTestHelper =
      CompilationTestHelper.newInstance(CloseWithUnreadData.class, getClass());

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
            import java.io.OutputStream;
            import java.net.ServerSocket;
            import java.net.Socket;
            import java.nio.ByteBuffer;
            import java.nio.channels.SocketChannel;

            class A {
              private Socket kept;

              String readOneLineThenClose(Socket socket) throws IOException {
                BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream()));
                String status = reader.readLine();
                // BUG: Diagnostic contains: CloseWithUnreadData
                socket.close();
                return status;
              }

              void replyThenCloseWithTryWithResources(ServerSocket listener) throws IOException {
                // BUG: Diagnostic contains: CloseWithUnreadData
                try (Socket connection = listener.accept()) {
                  String requestLine = reader(connection).readLine();
                  if (requestLine == null) {
                    return;
                  }
                  connection.getOutputStream().write(413);
                }
              }

              void rejectAfterHeaderOnChannel(SocketChannel channel, ByteBuffer header)
                  throws IOException {
                if (channel.read(header) < 0) {
                  throw new IOException("closed inside the header");
                }
                channel.write(ByteBuffer.wrap(new byte[] {'N', 'O'}));
                // BUG: Diagnostic contains: CloseWithUnreadData
                channel.close();
              }

              void closeThroughTheStream(Socket socket) throws IOException {
                InputStream in = socket.getInputStream();
                in.read(new byte[16]);
                // BUG: Diagnostic contains: CloseWithUnreadData
                in.close();
              }

              void rejectEarlyInABranch(Socket socket, boolean tooLarge) throws IOException {
                String head = reader(socket).readLine();
                if (tooLarge) {
                  // BUG: Diagnostic contains: CloseWithUnreadData
                  socket.close();
                  return;
                }
                kept = null;
              }

              private static BufferedReader reader(Socket socket) throws IOException {
                return new BufferedReader(new InputStreamReader(socket.getInputStream()));
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeReadToEndOfStream() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.BufferedReader;
            import java.io.IOException;
            import java.io.InputStream;
            import java.io.InputStreamReader;
            import java.io.OutputStream;
            import java.net.Socket;
            import java.nio.ByteBuffer;
            import java.nio.channels.SocketChannel;

            class A {
              void loopUntilEof(Socket socket) throws IOException {
                InputStream in = socket.getInputStream();
                byte[] chunk = new byte[8192];
                in.read(chunk);
                for (int i = 0; i < 1000; i++) {
                  if (in.read(chunk) < 0) {
                    break;
                  }
                }
                socket.close();
              }

              void readAllBytes(Socket socket) throws IOException {
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream()))
                    .readLine();
                socket.getInputStream().readAllBytes();
                socket.close();
              }

              void transferToNull(Socket socket) throws IOException {
                socket.getInputStream().read();
                socket.shutdownOutput();
                socket.getInputStream().transferTo(OutputStream.nullOutputStream());
                socket.close();
              }

              void skipTheRest(Socket socket) throws IOException {
                BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream()));
                reader.readLine();
                reader.skip(1 << 20);
                socket.close();
              }

              void closeOnlyAtEndOfStream(SocketChannel channel, ByteBuffer buffer)
                  throws IOException {
                if (channel.read(buffer) >= 0) {
                  return;
                }
                channel.close();
              }

              void lineTestedForContent(Socket socket) throws IOException {
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream()))
                    .readLine();
                if (line != null) {
                  System.out.println(line);
                }
                socket.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeInputHandedOff() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.io.InputStream;
            import java.net.Socket;

            class A {
              void drainElsewhere(Socket socket) throws IOException {
                socket.getInputStream().read();
                Other.drain(socket.getInputStream());
                socket.close();
              }
            }

            class Other {
              static void drain(InputStream in) throws IOException {
                in.transferTo(java.io.OutputStream.nullOutputStream());
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeConnectionEscapes() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              private Socket kept;

              void storedInAField(Socket socket) throws IOException {
                socket.getInputStream().read();
                kept = socket;
                socket.close();
              }

              Runnable capturedByALambda(Socket socket) throws IOException {
                socket.getInputStream().read();
                socket.close();
                return () -> System.out.println(socket);
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeShutdownInputReportedElsewhere() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              void shutdownInputThenClose(Socket socket) throws IOException {
                socket.getInputStream().read();
                socket.shutdownInput();
                socket.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeReadAndCloseOnExclusivePaths() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              void eitherOr(Socket socket, boolean quit) throws IOException {
                if (quit) {
                  socket.close();
                } else {
                  socket.getInputStream().read();
                }
              }

              void readAfterTheClose(Socket socket, boolean quit) throws IOException {
                if (quit) {
                  socket.close();
                  return;
                }
                socket.getInputStream().read();
              }

              void readThenLeave(Socket socket, boolean quit) throws IOException {
                if (quit) {
                  socket.getInputStream().read();
                  return;
                }
                socket.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeUnixDomainChannel() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.SocketAddress;
            import java.net.StandardProtocolFamily;
            import java.nio.ByteBuffer;
            import java.nio.channels.SocketChannel;

            class A {
              void options(SocketAddress path) throws IOException {
                try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                  channel.connect(path);
                  channel.write(ByteBuffer.wrap(new byte[] {'O'}));
                  channel.read(ByteBuffer.allocate(1024));
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
                socket.getInputStream().read();
                socket = new Socket("localhost", port);
                socket.close();
              }
            }
            """)
        .doTest();
  }
}
