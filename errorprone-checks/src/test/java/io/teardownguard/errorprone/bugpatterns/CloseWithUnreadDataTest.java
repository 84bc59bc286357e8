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
            import java.io.DataInputStream;
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

              // A reply of known length read whole after the request is no partial read; a chunk,
              // a request read by a server, a length without its body or from a parameter are.
              String ruok(Socket s) throws IOException {
                InputStream is = s.getInputStream();
                s.getOutputStream().write("ruok".getBytes());
                byte[] reply = new byte[4];
                int rc = is.read(reply);
                s.close();
                return rc + new String(reply);
              }

              long traceMask(Socket s) throws IOException {
                DataInputStream in = new DataInputStream(s.getInputStream());
                s.getOutputStream().write("gtmk".getBytes());
                byte[] reply = new byte[Long.BYTES];
                in.readFully(reply);
                s.close();
                return reply[0];
              }

              byte[] fetchKey(Socket sock) throws IOException {
                try (sock) {
                  DataInputStream in = new DataInputStream(sock.getInputStream());
                  sock.getOutputStream().write(1);
                  byte type = in.readByte();
                  int length = in.readInt();
                  byte[] key = new byte[length];
                  in.readFully(key);
                  return key;
                }
              }

              int dump(Socket s) throws IOException {
                byte[] chunk = new byte[1024];
                s.getOutputStream().write("dump".getBytes());
                // BUG: Diagnostic contains: CloseWithUnreadData
                try (s) {
                  return s.getInputStream().read(chunk);
                }
              }

              void requestOfAKnownLength(Socket s) throws IOException {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] request = new byte[4];
                in.readFully(request);
                s.getOutputStream().write(request);
                // BUG: Diagnostic contains: CloseWithUnreadData
                s.close();
              }

              void lengthWithoutItsBody(Socket s) throws IOException {
                DataInputStream in = new DataInputStream(s.getInputStream());
                s.getOutputStream().write(1);
                int length = in.readInt();
                s.getOutputStream().write(length);
                // BUG: Diagnostic contains: CloseWithUnreadData
                s.close();
              }

              void lengthFromTheCaller(Socket s, int length) throws IOException {
                DataInputStream in = new DataInputStream(s.getInputStream());
                s.getOutputStream().write(1);
                byte[] body = new byte[length];
                in.readFully(body);
                // BUG: Diagnostic contains: CloseWithUnreadData
                s.close();
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
  @Test
  void identificationConnectionInAField() {
    compilationTestHelper
        .addSourceLines(
            "Handler.java",
            """
            import java.io.BufferedReader;
            import java.io.IOException;
            import java.io.InputStreamReader;
            import java.io.OutputStream;
            import java.net.Socket;

            final class Handler implements Runnable {
              private final Socket socket;
              private final BufferedReader in;
              private final OutputStream out;

              Handler(Socket socket) throws IOException {
                this.socket = socket;
                this.in = new BufferedReader(new InputStreamReader(socket.getInputStream()));
                this.out = socket.getOutputStream();
              }

              @Override
              public void run() {
                try {
                  String line = in.readLine();
                  out.write(("OK " + line).getBytes());
                } catch (IOException e) {
                  return;
                } finally {
                  // BUG: Diagnostic contains: `socket` is closed after a read
                  cleanup();
                }
              }

              private void cleanup() {
                try {
                  socket.close();
                } catch (IOException ignored) {
                  // nothing more to do
                }
              }
            }
            """)
        .addSourceLines(
            "Connection.java",
            """
            import java.io.DataInputStream;
            import java.io.IOException;
            import java.net.ServerSocket;
            import java.net.Socket;

            final class Connection {
              private Socket socket;
              private DataInputStream in;

              void open(ServerSocket listener) throws IOException {
                socket = listener.accept();
                in = new DataInputStream(socket.getInputStream());
              }

              int readHead() throws IOException {
                return in.readInt();
              }

              void serve(ServerSocket listener) throws IOException {
                open(listener);
                int length = readHead();
                if (length > 1024) {
                  socket.getOutputStream().write(("413 " + length).getBytes());
                  // BUG: Diagnostic contains: CloseWithUnreadData
                  close();
                }
              }

              void close() throws IOException {
                socket.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void identificationLoopEndingAtADelimiter() {
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
              void headersThenReject(Socket socket, int limit) throws IOException {
                BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream()));
                int contentLength = 0;
                String line;
                while ((line = reader.readLine()) != null && !line.isEmpty()) {
                  if (line.startsWith("Content-Length:")) {
                    contentLength = Integer.parseInt(line.substring(15).trim());
                  }
                }
                if (contentLength > limit) {
                  socket.getOutputStream().write("HTTP/1.1 413 Payload Too Large\\r\\n\\r\\n".getBytes());
                  // BUG: Diagnostic contains: CloseWithUnreadData
                  socket.close();
                }
              }

              void headersUntilBlankLineWithBreak(Socket socket) throws IOException {
                BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream()));
                while (true) {
                  String line = reader.readLine();
                  if (line == null || line.length() == 0) {
                    break;
                  }
                }
                // BUG: Diagnostic contains: CloseWithUnreadData
                socket.close();
              }

              void untilLineFeed(Socket socket) throws IOException {
                InputStream in = socket.getInputStream();
                int b;
                while ((b = in.read()) != -1 && b != '\\n') {
                  // the request line, byte by byte
                }
                // BUG: Diagnostic contains: CloseWithUnreadData
                socket.close();
              }

              void countedRecords(Socket socket) throws IOException {
                java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
                for (int i = 0; i < 4; i++) {
                  in.readInt();
                }
                // BUG: Diagnostic contains: CloseWithUnreadData
                socket.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void identificationWrappedReaders() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.DataInputStream;
            import java.io.IOException;
            import java.io.ObjectInputStream;
            import java.net.Socket;
            import java.nio.channels.Channels;
            import java.nio.channels.SocketChannel;
            import java.util.Scanner;

            class A {
              String utf(Socket socket) throws IOException {
                String name = new DataInputStream(socket.getInputStream()).readUTF();
                // BUG: Diagnostic contains: CloseWithUnreadData
                socket.close();
                return name;
              }

              Object object(Socket socket) throws Exception {
                ObjectInputStream in = new ObjectInputStream(socket.getInputStream());
                Object request = in.readObject();
                // BUG: Diagnostic contains: CloseWithUnreadData
                socket.close();
                return request;
              }

              String token(Socket socket) throws IOException {
                Scanner scanner = new Scanner(socket.getInputStream());
                String command = scanner.next();
                // BUG: Diagnostic contains: CloseWithUnreadData
                socket.close();
                return command;
              }

              int overChannelStream(SocketChannel channel) throws IOException {
                DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
                int length = in.readInt();
                // BUG: Diagnostic contains: CloseWithUnreadData
                channel.close();
                return length;
              }

              String throughAHelper(Socket socket) throws IOException {
                String reply = firstLine(socket.getInputStream());
                // BUG: Diagnostic contains: CloseWithUnreadData
                socket.close();
                return reply;
              }

              private static String firstLine(java.io.InputStream in) throws IOException {
                return new java.io.BufferedReader(new java.io.InputStreamReader(in)).readLine();
              }
            }
            """)
        .doTest();
  }

  @Test
  void identificationValueUsedIsNotAnEndOfStreamTest() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.BufferedReader;
            import java.io.IOException;
            import java.io.InputStreamReader;
            import java.net.Socket;

            class A {
              void echoWithPrefix(Socket socket) throws IOException {
                String line =
                    new BufferedReader(new InputStreamReader(socket.getInputStream())).readLine();
                socket.getOutputStream().write(("OK " + line).getBytes());
                // BUG: Diagnostic contains: CloseWithUnreadData
                socket.close();
              }

              void countInTheReply(Socket socket) throws IOException {
                int n = socket.getInputStream().read(new byte[64]);
                socket.getOutputStream().write(("413 " + n).getBytes());
                // BUG: Diagnostic contains: CloseWithUnreadData
                socket.close();
              }

              void logged(Socket socket) throws IOException {
                String line =
                    new BufferedReader(new InputStreamReader(socket.getInputStream())).readLine();
                System.err.println("got " + line);
                // BUG: Diagnostic contains: CloseWithUnreadData
                socket.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeFieldDrainedInClose() {
    compilationTestHelper
        .addSourceLines(
            "Handler.java",
            """
            import java.io.BufferedReader;
            import java.io.IOException;
            import java.io.InputStreamReader;
            import java.io.OutputStream;
            import java.net.Socket;

            final class Handler {
              private final Socket socket;
              private final BufferedReader in;

              Handler(Socket socket) throws IOException {
                this.socket = socket;
                this.in = new BufferedReader(new InputStreamReader(socket.getInputStream()));
              }

              void handle() throws IOException {
                String line = in.readLine();
                socket.getOutputStream().write(("OK " + line).getBytes());
                close();
              }

              void close() throws IOException {
                socket.shutdownOutput();
                in.transferTo(java.io.Writer.nullWriter());
                socket.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeFieldNotFollowed() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            final class HandedOut {
              private final Socket socket;

              HandedOut(Socket socket) {
                this.socket = socket;
              }

              Socket socket() {
                return socket;
              }

              void handle() throws IOException {
                socket.getInputStream().read();
                close();
              }

              void close() throws IOException {
                socket.close();
              }
            }

            final class PassedOn {
              private final Socket socket;

              PassedOn(Socket socket) {
                this.socket = socket;
              }

              void handle() throws IOException {
                socket.getInputStream().read();
                Other.finish(socket);
                socket.close();
              }
            }

            class WrittenElsewhere {
              public Socket socket;

              void handle() throws IOException {
                socket.getInputStream().read();
                socket.close();
              }
            }

            class Other {
              static void finish(Socket socket) throws IOException {
                socket.getInputStream().readAllBytes();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeReadAndCloseNotComposed() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.net.Socket;

            final class A {
              private final Socket socket;

              A(Socket socket) {
                this.socket = socket;
              }

              int readOne() throws IOException {
                return socket.getInputStream().read();
              }

              void close() throws IOException {
                socket.close();
              }

              void closeOther(A other) throws IOException {
                readOne();
                other.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeLoopsThatEndAtEndOfStream() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.BufferedReader;
            import java.io.DataInputStream;
            import java.io.EOFException;
            import java.io.IOException;
            import java.io.InputStreamReader;
            import java.net.Socket;
            import java.util.Scanner;

            class A {
              void linesToNull(Socket socket) throws IOException {
                BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream()));
                String line;
                while ((line = reader.readLine()) != null) {
                  System.out.println(line);
                }
                socket.close();
              }

              void scannerToTheEnd(Socket socket) throws IOException {
                Scanner scanner = new Scanner(socket.getInputStream());
                while (scanner.hasNextLine()) {
                  System.out.println(scanner.nextLine());
                }
                socket.close();
              }

              void recordsUntilEofException(Socket socket) throws IOException {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                try {
                  while (true) {
                    in.readInt();
                  }
                } catch (EOFException end) {
                  socket.close();
                }
              }

              void bytesWhilePositive(Socket socket) throws IOException {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = socket.getInputStream().read(buffer)) > 0) {
                  System.out.write(buffer, 0, n);
                }
                socket.close();
              }

              void commandsUntilQuitOrEnd(Socket socket) throws IOException {
                BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream()));
                String command;
                while ((command = reader.readLine()) != null) {
                  if (command.equals("QUIT")) {
                    break;
                  }
                }
                socket.close();
              }

              void acceptLoop(java.net.ServerSocket listener) throws IOException {
                while (true) {
                  Socket socket = listener.accept();
                  String line = new BufferedReader(new InputStreamReader(socket.getInputStream()))
                      .readLine();
                  if (line == null) {
                    socket.close();
                    continue;
                  }
                  socket.getInputStream().readAllBytes();
                  socket.close();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeDelimiterLoopThenDrain() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.BufferedReader;
            import java.io.IOException;
            import java.io.InputStreamReader;
            import java.net.Socket;

            class A {
              void headersThenBody(Socket socket, int limit) throws IOException {
                BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream()));
                String line;
                while ((line = reader.readLine()) != null && !line.isEmpty()) {
                  System.out.println(line);
                }
                socket.getOutputStream().write("HTTP/1.1 413\\r\\n\\r\\n".getBytes());
                socket.shutdownOutput();
                reader.skip(limit);
                socket.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void negativeReplyReadAfterShutdownOutput() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.BufferedReader;
            import java.io.IOException;
            import java.io.InputStreamReader;
            import java.net.Socket;

            class A {
              String ask(Socket socket, String question) throws IOException {
                socket.getOutputStream().write(question.getBytes());
                socket.shutdownOutput();
                String reply =
                    new BufferedReader(new InputStreamReader(socket.getInputStream())).readLine();
                socket.close();
                return reply;
              }
            }
            """)
        .doTest();
  }
  @Test
  void identificationProtectedFieldOfATransport() {
    compilationTestHelper
        .addSourceLines(
            "TcpTransport.java",
            """
            import java.io.DataInputStream;
            import java.io.IOException;
            import java.net.Socket;

            class TcpTransport {
              protected Socket socket;
              protected DataInputStream dataIn;

              protected void initializeStreams() throws IOException {
                dataIn = new DataInputStream(socket.getInputStream());
              }

              protected Object readCommand() throws IOException {
                int size = dataIn.readInt();
                if (size > 1 << 20) {
                  // BUG: Diagnostic contains: `socket` is closed after a read
                  doStop();
                  throw new IOException("frame too large: " + size);
                }
                return size;
              }

              protected void doStop() throws IOException {
                socket.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void closeAtEndOfStreamOrAfterAnIoFailureNotAfterData() {
    compilationTestHelper
        .addSourceLines(
            "A.java",
            """
            import java.io.IOException;
            import java.nio.ByteBuffer;
            import java.nio.channels.SocketChannel;

            class A {
              void read(SocketChannel ch, ByteBuffer length) throws IOException {
                int read = ch.read(length);
                if (read == -1) {
                  ch.close();
                  return;
                }
                if (length.getInt(0) > 1 << 20) {
                  // BUG: Diagnostic contains: CloseWithUnreadData
                  ch.close();
                  return;
                }
              }

              void readFailed(SocketChannel ch, ByteBuffer body) {
                try {
                  ch.read(body);
                  body.flip();
                } catch (IOException e) {
                  try {
                    ch.close();
                  } catch (IOException ignored) {
                    // nothing more to do
                  }
                }
              }

              void rejectedWhatWasRead(SocketChannel ch, ByteBuffer body) throws IOException {
                try {
                  ch.read(body);
                  Integer.parseInt(new String(body.array()));
                } catch (NumberFormatException | IllegalStateException e) {
                  // BUG: Diagnostic contains: CloseWithUnreadData
                  ch.close();
                }
              }
            }
            """)
        .doTest();
  }

  /**
   * A class that holds both ends of one exchange (JGroups' SSL_KEY_EXCHANGE, field run): its
   * client sends one byte, the request type, and only reads after it; its server reads that byte,
   * answers and closes. Nothing the client sends is left unread.
   */
  @Test
  void negativeServerReadsTheWholeRequestOfItsOwnClient() {
    compilationTestHelper
        .addSourceLines(
            "KeyExchange.java",
            """
            import java.io.DataInputStream;
            import java.io.DataOutputStream;
            import java.io.IOException;
            import java.io.InputStream;
            import java.io.OutputStream;
            import java.net.InetSocketAddress;
            import java.net.ServerSocket;
            import java.net.Socket;

            class KeyExchange {
              enum Type { KEY_REQ, KEY_RSP }

              private ServerSocket serverSocket;

              byte[] fetchKeyFrom(InetSocketAddress peer) throws IOException {
                try (Socket sock = connectTo(peer)) {
                  OutputStream out = sock.getOutputStream();
                  out.write(Type.KEY_REQ.ordinal());
                  out.flush();
                  DataInputStream in = new DataInputStream(sock.getInputStream());
                  int length = in.readInt();
                  byte[] key = new byte[length];
                  in.readFully(key);
                  return key;
                }
              }

              private Socket connectTo(InetSocketAddress peer) throws IOException {
                Socket sock = new Socket();
                sock.connect(peer);
                return sock;
              }

              void accept(byte[] key) throws IOException {
                try (Socket clientSock = serverSocket.accept()) {
                  InputStream in = clientSock.getInputStream();
                  DataOutputStream out = new DataOutputStream(clientSock.getOutputStream());
                  int ordinal = in.read();
                  if (ordinal != Type.KEY_REQ.ordinal()) {
                    throw new IllegalStateException("expected " + Type.KEY_REQ);
                  }
                  out.writeInt(key.length);
                  out.write(key);
                }
              }
            }
            """)
        .doTest();
  }

  /**
   * Near misses of the own-client exchange, all still flagged at the server's close: a client
   * that sends more than the server reads, one whose request has no fixed size, one that writes
   * again after the answer, one of another protocol whose constant the server never names, and a
   * server with no client in its class.
   */
  @Test
  void identificationNearMissesOfTheOwnClientExchange() {
    compilationTestHelper
        .addSourceLines("LongerRequest.java", ownClientExchange("LongerRequest",
            "static final int KEY_REQ = 1;",
            """
            DataOutputStream out = new DataOutputStream(sock.getOutputStream());
            out.write(KEY_REQ);
            out.writeInt(42);
            sock.getInputStream().readAllBytes();""",
            "clientSock.getInputStream().read() != KEY_REQ"))
        .addSourceLines("TextRequest.java", ownClientExchange("TextRequest",
            "static final String HELLO = \"HELLO\";",
            """
            PrintWriter out = new PrintWriter(sock.getOutputStream());
            out.println(HELLO);
            out.flush();
            sock.getInputStream().readAllBytes();""",
            "clientSock.getInputStream().read() != HELLO.charAt(0)"))
        .addSourceLines("SecondRequest.java", ownClientExchange("SecondRequest",
            "static final int KEY_REQ = 1;",
            """
            OutputStream out = sock.getOutputStream();
            out.write(KEY_REQ);
            sock.getInputStream().readAllBytes();
            out.write(KEY_REQ);""",
            "clientSock.getInputStream().read() != KEY_REQ"))
        .addSourceLines("OtherProtocol.java", ownClientExchange("OtherProtocol",
            "static final int BACKEND_PING = 7;",
            """
            sock.getOutputStream().write(BACKEND_PING);
            sock.getInputStream().readAllBytes();""",
            "clientSock.getInputStream().read() < 0"))
        .addSourceLines("ServerOnly.java", ownClientExchange("ServerOnly",
            "static final int KEY_REQ = 1;", "", "clientSock.getInputStream().read() != KEY_REQ"))
        .doTest();
  }

  /**
   * A class {@code name} with a client whose body after connecting is {@code clientBody} and a
   * server that reads one byte, returns when {@code rejectIf} holds, answers and closes: the
   * close the test expects flagged.
   */
  private static String ownClientExchange(String name, String constant, String clientBody,
      String rejectIf) {
    return """
        import java.io.DataOutputStream;
        import java.io.IOException;
        import java.io.OutputStream;
        import java.io.PrintWriter;
        import java.net.InetSocketAddress;
        import java.net.ServerSocket;
        import java.net.Socket;

        class %s {
          %s
          private ServerSocket serverSocket;

          void fetch(InetSocketAddress peer) throws IOException {
            try (Socket sock = new Socket()) {
              sock.connect(peer);
              %s
            }
          }

          void accept() throws IOException {
            // BUG: Diagnostic contains: CloseWithUnreadData
            try (Socket clientSock = serverSocket.accept()) {
              if (%s) {
                return;
              }
              clientSock.getOutputStream().write(2);
            }
          }
        }
        """.formatted(name, constant, clientBody.replace("\n", "\n      "), rejectIf);
  }
}
