package io.teardownguard.errorprone.bugpatterns;

import com.google.errorprone.CompilationTestHelper;
import org.junit.jupiter.api.Test;

final class ShutdownInputHidesDataTest {
  private final CompilationTestHelper compilationTestHelper =
      CompilationTestHelper.newInstance(ShutdownInputHidesData.class, getClass());

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
              void ignoreTheRest(Socket connection) throws IOException {
                // BUG: Diagnostic contains: ShutdownInputHidesData
                connection.shutdownInput();
              }

              void ignoreTheRestThenClose(Socket connection) throws IOException {
                connection.getInputStream().read();
                // BUG: Diagnostic contains: ShutdownInputHidesData
                connection.shutdownInput();
                connection.getOutputStream().write(202);
                connection.close();
              }

              void channel(SocketChannel channel) throws IOException {
                // BUG: Diagnostic contains: ShutdownInputHidesData
                channel.shutdownInput();
                channel.close();
              }

              void adaptor(SocketChannel channel) throws IOException {
                // BUG: Diagnostic contains: ShutdownInputHidesData
                channel.socket().shutdownInput();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeInputAlreadyAtEndOfStream() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.io.InputStream;
            import java.net.Socket;

            class A {
              void drainedFirst(Socket connection) throws IOException {
                InputStream in = connection.getInputStream();
                while (in.read() >= 0) {}
                connection.shutdownInput();
                connection.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeInputHandedOffFirst() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.io.InputStream;
            import java.net.Socket;

            class A {
              void readElsewhere(Socket connection) throws IOException {
                Other.consume(connection.getInputStream());
                connection.shutdownInput();
              }
            }

            class Other {
              static void consume(InputStream in) throws IOException {
                in.readAllBytes();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeFieldOrEscapedConnection() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class A {
              private Socket socket;

              Socket socket() {
                return socket;
              }

              void fieldHandedOut() throws IOException {
                socket.shutdownInput();
              }

              void escapedFirst(Socket connection) throws IOException {
                socket = connection;
                connection.shutdownInput();
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
              void reconnect(Socket connection, int port) throws IOException {
                connection = new Socket("localhost", port);
                connection.shutdownInput();
              }
            }
            """)
        .doTest();
  }
  @Test
  void identificationFieldShutInCloseAcrossMethods() {
    compilationTestHelper
        .addSourceLines(
            "Transport.java",
            """
            import java.io.DataInputStream;
            import java.io.IOException;
            import java.net.Socket;

            final class Transport {
              private final Socket socket;
              private final DataInputStream in;

              Transport(Socket socket) throws IOException {
                this.socket = socket;
                this.in = new DataInputStream(socket.getInputStream());
              }

              int readFrameLength() throws IOException {
                int length = in.readInt();
                // BUG: Diagnostic contains: shutdownInput() on `socket`
                stop();
                return length;
              }

              void stop() throws IOException {
                // BUG: Diagnostic contains: ShutdownInputHidesData
                socket.shutdownInput();
                socket.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeFieldDrainedBeforeTheShutdown() {
    compilationTestHelper
        .addSourceLines(
            "Transport.java",
            """
            import java.io.IOException;
            import java.io.InputStream;
            import java.net.Socket;

            final class Transport {
              private final Socket socket;
              private final InputStream in;

              Transport(Socket socket) throws IOException {
                this.socket = socket;
                this.in = socket.getInputStream();
              }

              void finish() throws IOException {
                socket.shutdownOutput();
                drain();
                socket.shutdownInput();
                socket.close();
              }

              private void drain() throws IOException {
                in.transferTo(java.io.OutputStream.nullOutputStream());
              }
            }
            """)
        .doTest();
  }
  @Test
  void identificationFieldGivenToAHelperElsewhere() {
    compilationTestHelper
        .addSourceLines(
            "TcpConnection.java",
            """
            import java.io.DataOutputStream;
            import java.io.IOException;
            import java.net.InetSocketAddress;
            import java.net.Socket;

            class TcpConnection {
              protected final Socket sock = new Socket();
              protected DataOutputStream out;

              void connect(InetSocketAddress destination) throws IOException {
                Util.connect(sock, destination, 1000);
                out = new DataOutputStream(sock.getOutputStream());
              }

              protected void closeGracefully() throws IOException {
                // BUG: Diagnostic contains: ShutdownInputHidesData
                sock.shutdownInput();
                out.writeInt(-1);
                out.flush();
                sock.shutdownOutput();
              }
            }

            class Util {
              static void connect(Socket socket, InetSocketAddress destination, int timeout)
                  throws IOException {
                socket.connect(destination, timeout);
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeFieldWhoseInputIsGivenAway() {
    compilationTestHelper
        .addSourceLines(
            "Transport.java",
            """
            import java.io.IOException;
            import java.io.InputStream;
            import java.net.Socket;

            class Transport {
              protected Socket socket;

              void start(Reader reader) throws IOException {
                reader.readUntilClosed(socket.getInputStream());
              }

              void stop() throws IOException {
                socket.shutdownInput();
                socket.close();
              }
            }

            interface Reader {
              void readUntilClosed(InputStream in) throws IOException;
            }
            """)
        .doTest();
  }
  @Test
  void identificationFieldWhoseInputIsGivenToRecordReaders() {
    compilationTestHelper
        .addSourceLines(
            "TcpConnection.java",
            """
            import java.io.DataInput;
            import java.io.DataInputStream;
            import java.io.DataOutputStream;
            import java.io.IOException;
            import java.net.Socket;

            class TcpConnection {
              protected final Socket sock;
              protected final DataInputStream in;
              protected final DataOutputStream out;
              protected final Server server;

              TcpConnection(Socket sock, Server server) throws IOException {
                this.sock = sock;
                this.server = server;
                this.in = new DataInputStream(sock.getInputStream());
                this.out = new DataOutputStream(sock.getOutputStream());
              }

              Address readPeerAddress() throws IOException {
                Address peer = new Address();
                peer.readFrom(in);
                return peer;
              }

              void receiveOne(Address peer) throws IOException {
                int length = in.readInt();
                server.receive(peer, in, length);
              }

              protected void closeGracefully() throws IOException {
                // BUG: Diagnostic contains: ShutdownInputHidesData
                sock.shutdownInput();
                out.writeInt(-1);
                out.flush();
                sock.shutdownOutput();
              }
            }

            class Address {
              void readFrom(DataInput in) throws IOException {}
            }

            interface Server {
              void receive(Address sender, DataInput in, int length) throws IOException;
            }
            """)
        .doTest();
  }

  @Test
  void negativeFieldWhoseInputIsGivenToAStreamParameter() {
    compilationTestHelper
        .addSourceLines(
            "TcpConnection.java",
            """
            import java.io.DataInputStream;
            import java.io.IOException;
            import java.net.Socket;

            class TcpConnection {
              protected final Socket sock;
              protected final DataInputStream in;
              protected final Server server;

              TcpConnection(Socket sock, Server server) throws IOException {
                this.sock = sock;
                this.server = server;
                this.in = new DataInputStream(sock.getInputStream());
              }

              void receiveAll() throws IOException {
                server.receive(in); // may read to EOF or close it
              }

              protected void closeGracefully() throws IOException {
                sock.shutdownInput();
                sock.shutdownOutput();
              }
            }

            interface Server {
              void receive(DataInputStream in) throws IOException;
            }
            """)
        .doTest();
  }

  @Test
  void identificationOnceInTheCalleeNotAgainAtEveryCaller() {
    compilationTestHelper
        .addSourceLines(
            "Pinger.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            class Pinger {
              private Socket pingSocket;

              void stop() throws IOException {
                teardownPingSocket();
              }

              void handleSocketClose() throws IOException {
                teardownPingSocket();
              }

              private void teardownPingSocket() throws IOException {
                // BUG: Diagnostic contains: ShutdownInputHidesData
                pingSocket.shutdownInput();
                pingSocket.close();
              }
            }
            """)
        .doTest();
  }

  /**
   * The failure detector's shape (JGroups' FD_SOCK, field run): a pinger thread reads the
   * monitored peer's socket until end of stream, and the teardown wakes it with shutdownInput()
   * before the close: the close does what it would do alone, the shutdown hides nothing.
   */
  @Test
  void negativeShutdownThatWakesTheReaderOfAnAbandonedConnection() {
    compilationTestHelper
        .addSourceLines(
            "Pinger.java",
            """
            import java.io.IOException;
            import java.io.InputStream;
            import java.net.InetSocketAddress;
            import java.net.Socket;

            class Pinger implements Runnable {
              private Socket pingSocket;
              private InputStream pingInput;

              void connect(InetSocketAddress peer) throws IOException {
                pingSocket = new Socket();
                pingSocket.connect(peer);
                pingInput = pingSocket.getInputStream();
              }

              @Override
              public void run() {
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    int c = pingInput.read();
                    if (c == -1) {
                      return;
                    }
                  } catch (IOException e) {
                    return;
                  }
                }
              }

              synchronized void interruptPinger() throws IOException {
                teardownPingSocket(); // wakes the pinger thread
              }

              private void teardownPingSocket() throws IOException {
                pingSocket.shutdownInput();
                pingSocket.close();
              }
            }
            """)
        .doTest();
  }

  /**
   * Near misses of the reader-waking shape, all still flagged: a shutdown followed by more use
   * (JGroups' closeGracefully, a corpus bug), a channel (ZooKeeper's closeSock, read by a selector
   * loop), and a teardown that reads first. A reader elsewhere that stops at a record is {@link
   * #identificationFieldShutInCloseAcrossMethods}.
   */
  @Test
  void identificationNearMissesOfTheReaderWakingShutdown() {
    compilationTestHelper
        .addSourceLines(
            "Connection.java",
            """
            import java.io.IOException;
            import java.io.InputStream;
            import java.net.Socket;

            class Connection implements Runnable {
              private final Socket socket;
              private final InputStream in;

              Connection(Socket socket) throws IOException {
                this.socket = socket;
                this.in = socket.getInputStream();
              }

              @Override
              public void run() {
                try {
                  while (in.read() != -1) {}
                } catch (IOException e) {
                  // ends
                }
              }

              void closeGracefully() throws IOException {
                // BUG: Diagnostic contains: ShutdownInputHidesData
                socket.shutdownInput();
                socket.getOutputStream().write(0);
                socket.shutdownOutput();
              }

              void readThenTearDown() throws IOException {
                in.read();
                // BUG: Diagnostic contains: ShutdownInputHidesData
                socket.shutdownInput();
                socket.close();
              }
            }
            """)
        .addSourceLines(
            "SelectorConnection.java",
            """
            import java.io.IOException;
            import java.nio.ByteBuffer;
            import java.nio.channels.SocketChannel;

            class SelectorConnection {
              private final SocketChannel channel;
              private final ByteBuffer incoming = ByteBuffer.allocate(4);

              SelectorConnection(SocketChannel channel) {
                this.channel = channel;
              }

              void doIO() throws IOException {
                while (channel.read(incoming) > 0) {
                  incoming.clear();
                }
              }

              void closeSock() throws IOException {
                channel.socket().shutdownOutput();
                // BUG: Diagnostic contains: ShutdownInputHidesData
                channel.socket().shutdownInput();
                channel.close();
              }
            }
            """)
        .doTest();
  }
}
