package io.teardownguard.errorprone.bugpatterns;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class BlockingLingerCloseTest {
  private final CompilationTestHelper compilationTestHelper =
      CompilationTestHelper.newInstance(BlockingLingerClose.class, getClass());
  private final BugCheckerRefactoringTestHelper refactoringTestHelper =
      BugCheckerRefactoringTestHelper.newInstance(BlockingLingerClose.class, getClass());

  @Test
  void identification() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;
            import java.net.StandardSocketOptions;
            import java.nio.channels.SelectionKey;
            import java.nio.channels.Selector;
            import java.nio.channels.SocketChannel;

            class A {
              void lingerThenClose(Socket socket) throws IOException {
                // BUG: Diagnostic contains: close() below blocks
                socket.setSoLinger(true, 2);
                socket.getOutputStream().write(new byte[1024]);
                socket.close();
              }

              void nonBlockingChannel(SocketChannel channel, Selector selector) throws IOException {
                channel.configureBlocking(false);
                // BUG: Diagnostic contains: selector loop
                channel.setOption(StandardSocketOptions.SO_LINGER, 5);
                channel.register(selector, SelectionKey.OP_READ);
              }

              void fromASelectionKey(SelectionKey key) throws IOException {
                SocketChannel channel = (SocketChannel) key.channel();
                // BUG: Diagnostic contains: selector loop
                channel.socket().setSoLinger(true, 1);
              }

              void inAMethodThatSelects(Socket socket, Selector selector) throws IOException {
                selector.selectNow();
                // BUG: Diagnostic contains: selector loop
                socket.setSoLinger(true, 10);
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

            class A {
              void zeroIsAnotherCheck(Socket socket) throws IOException {
                socket.setSoLinger(true, 0);
                socket.close();
              }

              void lingerOff(Socket socket) throws IOException {
                socket.setSoLinger(false, 5);
                socket.close();
              }

              void notAConstant(Socket socket, int seconds) throws IOException {
                socket.setSoLinger(true, seconds);
                socket.close();
              }

              void blockingAndClosedElsewhere(Socket socket) throws IOException {
                socket.setSoLinger(true, 5);
                socket.getOutputStream().write(1);
              }

              void rebound(Socket socket, int port) throws IOException {
                socket.setSoLinger(true, 5);
                socket = new Socket("localhost", port);
                socket.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void replacementSuppresses() {
    refactoringTestHelper
        .addInputLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              void send(Socket socket) throws IOException {
                socket.setSoLinger(true, 2);
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
              @SuppressWarnings("BlockingLingerClose")
              void send(Socket socket) throws IOException {
                socket.setSoLinger(true, 2);
                socket.close();
              }
            }
            """)
        .doTest(BugCheckerRefactoringTestHelper.TestMode.TEXT_MATCH);
  }
  @Test
  void identificationNetty3ChildLinger() {
    compilationTestHelper
        .addSourceLines(
            "ServerBootstrap.java",
            """
            package org.jboss.netty.bootstrap;

            public class ServerBootstrap {
              public void setOption(String key, Object value) {}
            }
            """)
        .addSourceLines(
            "ChannelOption.java",
            """
            package io.netty.channel;

            public final class ChannelOption<T> {
              public static final ChannelOption<Integer> SO_LINGER = new ChannelOption<>();
            }
            """)
        .addSourceLines(
            "Bootstrap.java",
            """
            package io.netty.bootstrap;

            import io.netty.channel.ChannelOption;

            public final class Bootstrap {
              public <T> Bootstrap option(ChannelOption<T> option, T value) {
                return this;
              }
            }
            """)
        .addSourceLines(
            "Factory.java",
            """
            class Factory {
              void configure(org.jboss.netty.bootstrap.ServerBootstrap bootstrap) {
                bootstrap.setOption("child.tcpNoDelay", true);
                // BUG: Diagnostic contains: Netty 3
                bootstrap.setOption("child.soLinger", 2);
                bootstrap.setOption("soLinger", -1);
              }

              void netty4(io.netty.bootstrap.Bootstrap bootstrap) {
                bootstrap.option(io.netty.channel.ChannelOption.SO_LINGER, 2);
              }
            }
            """)
        .doTest();
  }
}
