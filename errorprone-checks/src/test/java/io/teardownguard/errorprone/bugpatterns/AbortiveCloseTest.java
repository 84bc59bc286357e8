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
  @Test
  void identificationLingerFromAValue() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;
            import java.net.StandardSocketOptions;

            class A {
              private int soLinger = 0;
              private int configured = -1;
              private int unset;

              void setConfigured(int seconds) {
                configured = seconds;
              }

              int soLinger() {
                return soLinger;
              }

              void initialisedToZero(Socket socket) throws IOException {
                // BUG: Diagnostic contains: `soLinger`, which can be 0
                socket.setSoLinger(true, soLinger);
              }

              void throughAGetter(Socket socket) throws IOException {
                // BUG: Diagnostic contains: AbortiveClose
                socket.setOption(StandardSocketOptions.SO_LINGER, soLinger());
              }

              void aSetterCalledWithZero(Socket socket) throws IOException {
                // BUG: Diagnostic contains: `setConfigured(0)`
                socket.setSoLinger(configured >= 0, configured);
              }

              void neverSet(Socket socket) throws IOException {
                // BUG: Diagnostic contains: `unset`, which is 0 until set
                socket.setSoLinger(true, unset);
              }

              void pooled(Socket socket) {
                setConfigured(0);
              }

              void local(Socket socket) throws IOException {
                int seconds = 0;
                // BUG: Diagnostic contains: AbortiveClose
                socket.setSoLinger(true, seconds);
              }
            }
            """)
        .doTest();
  }

  @Test
  void identificationLingerFromArithmeticThatReachesZero() {
    compilationTestHelper
        .addSourceLines(
            "Router.java",
            """
            import java.io.IOException;
            import java.net.ServerSocket;
            import java.net.Socket;

            class Router {
              private long lingerTimeout = 2000L; // milliseconds, configurable
              private int lingerMillis;

              public void setLingerTimeout(long lingerTimeout) {
                this.lingerTimeout = lingerTimeout;
              }

              Router(int lingerMillis) {
                this.lingerMillis = lingerMillis;
              }

              // JGRP-883's shape: any configured time under 1000 ms gives SO_LINGER 0.
              void serve(ServerSocket server) throws IOException {
                Socket sock = server.accept();
                if (lingerTimeout > 0) {
                  int linger = Math.min(1, (int) (lingerTimeout / 1000));
                  // BUG: Diagnostic contains: `lingerTimeout / 1000`, which is 0 for a `lingerTimeout` under 1000
                  sock.setSoLinger(true, linger);
                }
                sock.getOutputStream().write(1);
                sock.close();
              }

              void direct(Socket socket) throws IOException {
                // BUG: Diagnostic contains: AbortiveClose
                socket.setSoLinger(true, lingerMillis / 1000);
                socket.getOutputStream().write(1);
              }

              void knownBelowTheDivisor(Socket socket) throws IOException {
                int halfSecond = 500;
                // BUG: Diagnostic contains: AbortiveClose
                socket.setSoLinger(true, halfSecond / 1000);
                socket.getOutputStream().write(1);
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeLingerFromArithmeticThatNeverReachesZero() {
    compilationTestHelper
        .addSourceLines(
            "Router.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class Router {
              private long lingerTimeout = 2000L;
              private final long fixedMillis = 5000L;

              public void setLingerTimeout(long lingerTimeout) {
                this.lingerTimeout = lingerTimeout;
              }

              // JGRP-883's fix: at least one second.
              void serve(Socket sock) throws IOException {
                if (lingerTimeout > 0) {
                  int linger = Math.max(1, (int) (lingerTimeout / 1000));
                  sock.setSoLinger(true, linger);
                }
                sock.getOutputStream().write(1);
              }

              // Every value the file gives the dividend is at least the divisor.
              void fixed(Socket sock) throws IOException {
                sock.setSoLinger(true, (int) (fixedMillis / 1000));
                sock.setSoLinger(true, Math.min(30, (int) (fixedMillis / 1000)));
                sock.getOutputStream().write(1);
              }

              // Division by 1 does not truncate anything to 0.
              void seconds(Socket sock, int seconds) throws IOException {
                sock.setSoLinger(true, seconds / 1);
                sock.getOutputStream().write(1);
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeConfigurableLingerThatIsNeverZero() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              private int soLinger = -1;
              private final int timeout;

              A(int timeout) {
                this.timeout = timeout;
              }

              void setSoLinger(int seconds) {
                soLinger = seconds;
              }

              void configure() {
                setSoLinger(5);
              }

              void apply(Socket socket) throws IOException {
                if (soLinger >= 0) {
                  socket.setSoLinger(true, soLinger);
                }
                socket.setSoLinger(true, timeout);
              }

              void fromOutside(Socket socket, int seconds) throws IOException {
                socket.setSoLinger(true, seconds);
              }

              void anotherFilesField(Socket socket, java.awt.Point config) throws IOException {
                socket.setSoLinger(true, config.x); // declared elsewhere: its writes are unseen
              }
            }
            """)
        .doTest();
  }

  @Test
  void identificationNettyOptions() {
    compilationTestHelper
        .addSourceLines(
            "ChannelOption.java",
            """
            package io.netty.channel;

            public final class ChannelOption<T> {
              public static final ChannelOption<Integer> SO_LINGER = new ChannelOption<>();
              public static final ChannelOption<Integer> SO_RCVBUF = new ChannelOption<>();
            }
            """)
        .addSourceLines(
            "ServerBootstrap.java",
            """
            package io.netty.bootstrap;

            import io.netty.channel.ChannelOption;

            public final class ServerBootstrap {
              public <T> ServerBootstrap option(ChannelOption<T> option, T value) {
                return this;
              }

              public <T> ServerBootstrap childOption(ChannelOption<T> option, T value) {
                return this;
              }
            }
            """)
        .addSourceLines(
            "Server.java",
            """
            import io.netty.bootstrap.ServerBootstrap;
            import io.netty.channel.ChannelOption;

            class Server {
              private static final int LINGER = 0;

              void configure(ServerBootstrap bootstrap) {
                bootstrap
                    // BUG: Diagnostic contains: AbortiveClose
                    .childOption(ChannelOption.SO_LINGER, LINGER)
                    .childOption(ChannelOption.SO_RCVBUF, 0)
                    .option(ChannelOption.SO_LINGER, 5);
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeAbortDocumentedByAComment() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              private Socket socket;

              void shutdown() throws IOException {
                // force abortive close (RST)
                socket.setSoLinger(true, 0);
                socket.close();
              }

              /** Stops at once: sends a RST so that the peer fails fast. */
              void stop() throws IOException {
                socket.setSoLinger(true, 0);
                socket.close();
              }

              void evict() throws IOException {
                socket.setSoLinger(true, 0); // hard close: the pool replaces it
                socket.close();
              }

              void shutdownQuietly() throws IOException {
                // force abortive close (RST)
                try {
                  socket.setSoLinger(true, 0);
                } catch (IOException ex) {
                  // ignore
                } finally {
                  socket.close();
                }
              }
            }
            """)
        .doTest();
  }

  /**
   * A comment above a {@code try} documents the call that opens it (httpcore 4.4.1's
   * {@code shutdown()}), not a call further down its block.
   */
  @Test
  void identificationCommentAboveATryThatOpensWithAnotherCall() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              private Socket socket;

              void recycle() throws IOException {
                // force a reset of the pool's statistics
                try {
                  socket.setKeepAlive(false);
                  // BUG: Diagnostic contains: AbortiveClose
                  socket.setSoLinger(true, 0);
                } finally {
                  socket.close();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void identificationCommentThatExplainsTheHazard() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              /** Sets a zero linger to skip TIME_WAIT; Linux then aborts, the peer reads a reset. */
              void recycle(Socket socket) throws IOException {
                // skip TIME_WAIT
                // BUG: Diagnostic contains: AbortiveClose
                socket.setSoLinger(true, 0);
                socket.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void issueCitedAtTheCallAndNearMisses() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;
            import javax.net.ssl.SSLSocket;

            class A {
              private final Socket sock;

              A(Socket sock) throws IOException {
                this.sock = sock;
                if (sock instanceof SSLSocket) // https://issues.redhat.com/browse/JGRP-2748
                  sock.setSoLinger(true, 0);
              }

              void evict(Socket socket) throws IOException {
                // see HTTPCORE-658
                socket.setSoLinger(true, 0);
              }

              void drop(Socket socket) throws IOException {
                if (socket.isBound()) { // Bug 57621
                  socket.setSoLinger(true, 0);
                }
              }

              /** Opens the connection (HTTPCORE-658 changed how it is closed). */
              void open(Socket socket) throws IOException {
                // BUG: Diagnostic contains: AbortiveClose
                socket.setSoLinger(true, 0);
              }

              void encoded(Socket socket) throws IOException {
                // replies are UTF-8 text
                // BUG: Diagnostic contains: AbortiveClose
                socket.setSoLinger(true, 0);
              }

              void elseArm(Socket socket, boolean tls) throws IOException {
                if (tls) { // https://issues.example.org/browse/NET-1234
                  socket.setTcpNoDelay(true);
                } else {
                  // BUG: Diagnostic contains: AbortiveClose
                  socket.setSoLinger(true, 0);
                }
              }
            }
            """)
        .doTest();
  }
}
