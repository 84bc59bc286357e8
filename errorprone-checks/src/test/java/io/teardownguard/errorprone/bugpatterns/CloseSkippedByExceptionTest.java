package io.teardownguard.errorprone.bugpatterns;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class CloseSkippedByExceptionTest {
  private final CompilationTestHelper compilationTestHelper =
      CompilationTestHelper.newInstance(CloseSkippedByException.class, getClass());
  private final BugCheckerRefactoringTestHelper refactoringTestHelper =
      BugCheckerRefactoringTestHelper.newInstance(CloseSkippedByException.class, getClass());

  @Test
  void identification() {
    compilationTestHelper
        .addSourceLines(
            "Connection.java",
            """
            import java.io.IOException;
            import java.io.OutputStream;
            import java.net.Socket;
            import java.nio.ByteBuffer;
            import java.nio.channels.SocketChannel;

            class Connection {
              private final Socket socket;
              private final OutputStream out;
              private SocketChannel channel;
              private boolean open = true;

              Connection(Socket socket) throws IOException {
                this.socket = socket;
                this.out = socket.getOutputStream();
              }

              // HTTPCORE-207's shape: a helper that flushes the reply, then the shutdowns, then the
              // close, which the helper's exception skips.
              public void close() throws IOException {
                if (!open) {
                  return;
                }
                open = false;
                doFlush();
                try {
                  socket.shutdownOutput();
                } catch (IOException ignore) {
                }
                // BUG: Diagnostic contains: is skipped when `doFlush()` before it throws
                this.socket.close();
              }

              private void doFlush() throws IOException {
                out.flush();
              }

              void shutdown() throws IOException {
                out.write("QUIT\\r\\n".getBytes());
                out.flush();
                // BUG: Diagnostic contains: CloseSkippedByException
                socket.close();
              }

              void disconnect() {
                try {
                  out.flush();
                  // BUG: Diagnostic contains: `out.flush()` before it throws
                  socket.close();
                } catch (IOException e) {
                  // swallowed: the close above never ran
                }
              }

              void stop(ByteBuffer goodbye) throws IOException {
                if (channel != null) {
                  channel.write(goodbye);
                  // BUG: Diagnostic contains: CloseSkippedByException
                  channel.close();
                }
              }

              private final java.util.concurrent.atomic.AtomicReference<Socket> holder =
                  new java.util.concurrent.atomic.AtomicReference<>();

              void shutdownHeld() throws IOException {
                Socket held = holder.getAndSet(null);
                if (held != null) {
                  held.getOutputStream().write(0);
                  // BUG: Diagnostic contains: This close of `held` is skipped
                  held.close();
                }
              }

              void closeQuietly() throws IOException {
                try {
                  out.flush();
                } finally {
                  out.write(0);
                  // BUG: Diagnostic contains: `out.write(0)` before it throws
                  socket.close();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void negative() {
    compilationTestHelper
        .addSourceLines(
            "Connection.java",
            """
            import java.io.IOException;
            import java.io.OutputStream;
            import java.net.Socket;

            class Connection {
              private final Socket socket;
              private final OutputStream out;

              Connection(Socket socket) throws IOException {
                this.socket = socket;
                this.out = socket.getOutputStream();
              }

              // HTTPCORE-207's fix: the close in a finally.
              public void close() throws IOException {
                Socket sock = this.socket;
                try {
                  out.flush();
                } finally {
                  sock.close();
                }
              }

              // Options and shutdowns throw only on a socket that is already closed (measured on
              // Linux, JDK 17 and 25): the close they would skip does nothing.
              void shutdown() throws IOException {
                socket.setSoLinger(true, 1);
                socket.setSoTimeout(1000);
                socket.shutdownOutput();
                socket.shutdownInput();
                socket.getInputStream().close();
                socket.close();
              }

              // The flush's exception is handled before the close.
              void disconnect() {
                try {
                  out.flush();
                } catch (IOException e) {
                  // the close below still runs
                }
                try {
                  socket.close();
                } catch (IOException ignore) {
                }
              }

              // A catch that closes the connection itself.
              void stop() throws IOException {
                try {
                  out.flush();
                  socket.close();
                } catch (IOException e) {
                  socket.close();
                  throw e;
                }
              }

              // The connection is a try-with-resources resource.
              void release(Socket other) throws IOException {
                try (other) {
                  other.getOutputStream().write(1);
                  other.close();
                }
              }

              // Not a teardown method: the caller owns the connection and its close.
              void reply() throws IOException {
                out.write(1);
                socket.close();
              }

              // A write in a lambda does not run before the close.
              void cleanup() throws IOException {
                Runnable later = () -> {
                  try {
                    out.write(1);
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                };
                socket.close();
              }

              // Another layer's teardown, declared to throw IOException.
              void disconnectAll() throws IOException {
                closeInput();
                socket.close();
              }

              private void closeInput() throws IOException {
                socket.getInputStream().close();
              }

              // A connection made here, to unblock the acceptor (h2's stopServer()).
              static void stopServer(java.net.InetSocketAddress address) {
                try {
                  Socket s = javax.net.SocketFactory.getDefault()
                      .createSocket(address.getAddress(), address.getPort());
                  s.close();
                } catch (IOException e) {
                  // the server has stopped already
                }
              }

              // The socket a TLS socket is layered on is a resource: its close releases the
              // descriptor (httpcore 5's BHttpConnectionBase.close()).
              private TlsHolder tls;

              record TlsHolder(Socket base, javax.net.ssl.SSLSocket ssl) {}

              void shutdownTls() throws IOException {
                try (Socket baseSocket = tls.base()) {
                  out.flush();
                  javax.net.ssl.SSLSocket sslSocket = tls.ssl();
                  if (sslSocket != null) {
                    sslSocket.close();
                  }
                }
              }

              // A throw after the close cannot skip it.
              void terminate() throws IOException {
                socket.close();
                out.flush();
              }
            }
            """)
        .addSourceLines(
            "SecureClient.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class BaseClient {
              void disconnect() throws IOException {
                // closes its streams quietly: declared, never thrown
              }
            }

            // commons-net's FTPSClient.disconnect(): the superclass's teardown first.
            class SecureClient extends BaseClient {
              private Socket plainSocket;

              @Override
              void disconnect() throws IOException {
                super.disconnect();
                if (plainSocket != null) {
                  plainSocket.close();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void closesInFinally() {
    refactoringTestHelper
        .addInputLines(
            "Connection.java",
            """
            import java.io.IOException;
            import java.io.OutputStream;
            import java.net.Socket;

            class Connection {
              private Socket socket;
              private OutputStream out;

              public void close() throws IOException {
                out.write(0);
                out.flush();
                socket.close();
              }
            }
            """)
        .addOutputLines(
            "Connection.java",
            """
            import java.io.IOException;
            import java.io.OutputStream;
            import java.net.Socket;

            class Connection {
              private Socket socket;
              private OutputStream out;

              public void close() throws IOException {
                try {
                  out.write(0);
                  out.flush();
                } finally {
                  socket.close();
                }
              }
            }
            """)
        .doTest();
  }
}
