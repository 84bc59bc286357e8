package io.teardownguard.conformance.endpoint;

import io.teardownguard.conformance.scenario.ApiVariant;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A {@code java.net.Socket}: a plain one, a channel's adaptor ({@code SocketChannel.socket()}), or
 * an SSLSocket ({@link TlsEndpoint}).
 */
class SocketEndpoint extends AbstractEndpoint {
  private final Socket socket;
  private InputStream input;

  SocketEndpoint(ApiVariant variant, Socket socket, InetSocketAddress remote) {
    super(variant, (InetSocketAddress) socket.getLocalSocketAddress(), remote);
    this.socket = socket;
  }

  @Override
  public Object socket() {
    return socket;
  }

  @Override
  public boolean connected() {
    return socket.isConnected();
  }

  @Override
  public void write(int bytes) throws IOException {
    socket.getOutputStream().write(new byte[bytes]);
  }

  @Override
  public int read(int max, long timeoutMillis) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeoutMillis));
    try {
      return input().read(new byte[max]);
    } catch (SocketTimeoutException e) {
      return 0;
    }
  }

  /**
   * The stream, taken once as a program does before it reads: Socket.getInputStream() refuses
   * to hand out a stream after shutdownInput(), but a stream already held reads -1.
   */
  private InputStream input() throws IOException {
    if (input == null) {
      input = socket.getInputStream();
    }
    return input;
  }

  @Override
  void shutdownInputThroughApi() throws IOException {
    input();
    socket.shutdownInput();
  }

  @Override
  void shutdownOutputThroughApi() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void setLinger(int seconds) throws IOException {
    socket.setSoLinger(seconds >= 0, Math.max(seconds, 0));
  }

  @Override
  public int linger() throws IOException {
    return socket.getSoLinger();
  }

  @Override
  public void closeInputStream() throws IOException {
    socket.getInputStream().close();
  }

  @Override
  public void closeOutputStream() throws IOException {
    socket.getOutputStream().close();
  }

  @Override
  public void connectAgain() throws IOException {
    socket.connect(remoteAddress(), (int) IO_TIMEOUT_MILLIS);
  }

  @Override
  public boolean awaitReadable(long millis) {
    throw new UnsupportedOperationException("only a registered channel has a Selector");
  }

  @Override
  public void select() {
    // Not a registered channel: nothing is deferred.
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  @Override
  public void release() throws IOException {
    Endpoints.closeWithoutLinger(socket);
  }
}
