package io.teardownguard.agent.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The EOF flag decides whether the probe may skip SIOCINQ, so it must never claim EOF while
 * bytes can still be queued. Real sockets on loopback; the JVM runs with java.base's packages
 * opened (surefire argLine), as the agent opens them through Instrumentation.
 */
@Timeout(20)
class JdkSocketsTest {
  private static JdkSockets jdk;

  @BeforeAll
  static void handles() throws ReflectiveOperationException {
    jdk = JdkSockets.create();
  }

  @Test
  void atEofOnlyAfterTheApplicationReadThePeersFin() throws IOException, ReflectiveOperationException {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
        Socket server = listener.accept()) {
      Object impl = implOf(server);
      client.getOutputStream().write(new byte[] {1, 2, 3});
      client.shutdownOutput();
      assertFalse(jdk.implInputAtEof(impl), "nothing read yet");
      InputStream in = server.getInputStream();
      assertEquals(3, in.readNBytes(3).length);
      assertFalse(jdk.implInputAtEof(impl), "the data was read, the FIN not yet");
      assertEquals(-1, in.read());
      assertTrue(jdk.implInputAtEof(impl));
    }
  }

  /** implRead returns -1 after shutdownInput, which sets readEOF with the bytes still queued. */
  @Test
  void neverAtEofAfterShutdownInput() throws IOException, ReflectiveOperationException {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
        Socket server = listener.accept()) {
      Object impl = implOf(server);
      client.getOutputStream().write(new byte[] {1, 2, 3});
      InputStream in = server.getInputStream();
      server.shutdownInput();
      assertEquals(-1, in.read());
      assertFalse(jdk.implInputAtEof(impl));
    }
  }

  /** An accepted socket's impl is the NioSocketImpl itself (a client's is wrapped for SOCKS). */
  private static Object implOf(Socket socket) throws ReflectiveOperationException {
    Field impl = Socket.class.getDeclaredField("impl");
    impl.setAccessible(true);
    return impl.get(socket);
  }
}
