package io.teardownguard.errorprone.bugpatterns;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class ShutdownInputOnTlsSocketTest {
  private final CompilationTestHelper compilationTestHelper =
      CompilationTestHelper.newInstance(ShutdownInputOnTlsSocket.class, getClass());

  @Test
  void identificationFieldThatMayBeTls() {
    compilationTestHelper
        .addSourceLines(
            "NetworkModule.java",
            """
            import java.io.IOException;
            import java.io.InputStream;
            import java.net.InetSocketAddress;
            import java.net.Socket;
            import javax.net.SocketFactory;
            import javax.net.ssl.SSLSocketFactory;

            class NetworkModule {
              protected Socket socket;
              private final SocketFactory factory;

              NetworkModule(SocketFactory factory) {
                this.factory = factory;
              }

              void start(String host, int port) throws IOException {
                if (factory instanceof SSLSocketFactory) {
                  Socket plain = new Socket();
                  plain.connect(new InetSocketAddress(host, port));
                  socket = ((SSLSocketFactory) factory).createSocket(plain, host, port, true);
                } else {
                  socket = factory.createSocket();
                  socket.connect(new InetSocketAddress(host, port));
                }
              }

              public InputStream getInputStream() throws IOException {
                return socket.getInputStream();
              }

              void stop() throws IOException {
                if (socket != null) {
                  // BUG: Diagnostic contains: ShutdownInputOnTlsSocket
                  socket.shutdownInput();
                  socket.close();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void identificationDeclaredTlsClosedInTheSameTry() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import javax.net.ssl.SSLSocket;

            class A {
              void forceClose(SSLSocket socket) {
                try {
                  // BUG: Diagnostic contains: ShutdownInputOnTlsSocket
                  socket.shutdownInput();
                  socket.close();
                } catch (IOException ignored) {
                  // the close above never ran
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativePlainSocketFactory() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;
            import javax.net.SocketFactory;
            import javax.net.ssl.SSLSocket;

            class A {
              private Socket socket;

              boolean tls() {
                return socket instanceof SSLSocket;
              }

              void start(SocketFactory factory) throws IOException {
                socket = factory.createSocket();
              }

              void stop() throws IOException {
                socket.shutdownInput();
                socket.close();
                socket = null;
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeGuardedOrCaughtWithoutSkippingTheClose() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;
            import javax.net.ssl.SSLSocket;

            class A {
              void guarded(Socket socket) throws IOException {
                if (!(socket instanceof SSLSocket)) {
                  socket.shutdownInput();
                }
                socket.close();
              }

              void caughtAlone(SSLSocket socket) throws IOException {
                try {
                  socket.shutdownInput();
                } catch (IOException e) {
                  // logged; the close below still runs
                }
                socket.close();
              }

              void closedInFinally(SSLSocket socket) throws IOException {
                try {
                  socket.shutdownInput();
                  socket.close();
                } catch (IOException e) {
                  // ignored
                } finally {
                  socket.close();
                }
              }

              void layeredBaseClosedInFinally(SSLSocket sslSocket, Socket baseSocket) {
                try {
                  try {
                    sslSocket.shutdownOutput();
                    sslSocket.shutdownInput();
                    sslSocket.close();
                  } catch (IOException ignore) {
                    // the TLS socket's close is skipped, not the descriptor's
                  }
                } finally {
                  closeQuietly(baseSocket);
                }
              }

              static Socket wrap(SSLSocket actual) {
                return new Socket() {
                  @Override
                  public void shutdownInput() throws IOException {
                    actual.shutdownInput();
                  }
                };
              }

              static void closeQuietly(Socket socket) {
                try {
                  socket.close();
                } catch (IOException ignore) {
                  // nothing to do
                }
              }
            }
            """)
        .doTest();
  }
}
