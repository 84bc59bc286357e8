package io.teardownguard.conformance.peer;

import io.teardownguard.conformance.endpoint.TlsContext;
import io.teardownguard.model.PeerView.PeerRead;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * The peer's real sockets, in this JVM. A reset is recognised by the JDK's own message
 * ("Connection reset" is a literal in NioSocketImpl, not a localised strerror), write failures by
 * their exception alone.
 */
public final class PeerSockets implements Peer {
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
  private static final String OUTPUT_ALREADY_SHUT = "Socket output is already shutdown";

  private final InetAddress bindAddress;
  private final List<Socket> sockets = new ArrayList<>();
  private ServerSocket listener;

  /** Sockets bound to {@code bindAddress}: 127.0.0.1, or the peer's end of the link. */
  public PeerSockets(InetAddress bindAddress) {
    this.bindAddress = bindAddress;
  }

  @Override
  public int connect(String address, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.bind(new InetSocketAddress(bindAddress, 0));
    socket.connect(Addresses.parse(address), CONNECT_TIMEOUT_MILLIS);
    return sockets.size() - 1;
  }

  @Override
  public String localAddress(int peer) {
    return Addresses.format((InetSocketAddress) socket(peer).getLocalSocketAddress());
  }

  @Override
  public String listen(int backlog, int receiveBuffer) throws IOException {
    ServerSocket server = new ServerSocket();
    // Accepted sockets inherit SO_RCVBUF, and it must be set before listen(2) to shape the window.
    if (receiveBuffer > 0) {
      server.setReceiveBufferSize(receiveBuffer);
    }
    server.bind(new InetSocketAddress(bindAddress, 0), backlog);
    listener = server;
    return Addresses.format((InetSocketAddress) server.getLocalSocketAddress());
  }

  @Override
  public int accept() throws IOException {
    listener.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
    sockets.add(listener.accept());
    return sockets.size() - 1;
  }

  @Override
  public void write(int peer, int bytes) throws IOException {
    socket(peer).getOutputStream().write(new byte[bytes]);
  }

  @Override
  public void readExactly(int peer, int bytes, int timeoutMillis) throws IOException {
    byte[] buffer = new byte[bytes];
    Socket socket = socket(peer);
    socket.setSoTimeout(timeoutMillis);
    int got = 0;
    while (got < bytes) {
      int n = socket.getInputStream().read(buffer, got, bytes - got);
      if (n < 0) {
        throw new IOException("peer read hit EOF after " + got + " of " + bytes + " bytes");
      }
      got += n;
    }
  }

  @Override
  public String readToEnd(int peer, int quietMillis) {
    byte[] buffer = new byte[65536];
    long received = 0;
    String end;
    try {
      Socket socket = socket(peer);
      socket.setSoTimeout(quietMillis);
      while (true) {
        int n = socket.getInputStream().read(buffer);
        if (n < 0) {
          end = PeerRead.EOF.name();
          break;
        }
        received += n;
      }
    } catch (SocketTimeoutException e) {
      end = PeerRead.UNCHANGED.name();
    } catch (SocketException e) {
      end = "Connection reset".equals(e.getMessage()) ? PeerRead.RESET.name() : "threw " + e;
    } catch (IOException e) {
      end = "threw " + e;
    }
    return end + " " + received;
  }

  @Override
  public void shutdownOutput(int peer) throws IOException {
    socket(peer).shutdownOutput();
  }

  @Override
  public void close(int peer) throws IOException {
    socket(peer).close();
  }

  @Override
  public void linger(int peer, int seconds) throws IOException {
    socket(peer).setSoLinger(true, seconds);
  }

  @Override
  public String writeOne(int peer) {
    try {
      socket(peer).getOutputStream().write(1);
      return "ok";
    } catch (SocketException e) {
      return OUTPUT_ALREADY_SHUT.equals(e.getMessage()) ? "output shut" : "failed";
    } catch (IOException e) {
      return "failed";
    }
  }

  @Override
  public String connectProbe(String address) throws IOException {
    try (Socket probe = new Socket()) {
      probe.connect(Addresses.parse(address), CONNECT_TIMEOUT_MILLIS);
      return "connected";
    } catch (ConnectException e) {
      return "refused";
    }
  }

  @Override
  public void startTls(int peer, String mode, String protocol, String keyStore) throws IOException {
    SSLSocket tls = TlsContext.layer(socket(peer), mode.equals("client"), protocol, Path.of(keyStore));
    tls.setSoTimeout(TlsContext.HANDSHAKE_TIMEOUT_MILLIS);
    tls.startHandshake();
    sockets.set(peer, tls);
  }

  @Override
  public void reset() {
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    sockets.clear();
    if (listener != null) {
      closeQuietly(listener);
      listener = null;
    }
  }

  @Override
  public void close() {
    reset();
  }

  private Socket socket(int peer) {
    if (peer < 0 || peer >= sockets.size()) {
      throw new IllegalArgumentException("no peer socket " + peer + " (have " + sockets.size() + ")");
    }
    return sockets.get(peer);
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Cleanup between scenarios of sockets a scenario may already have closed.
    }
  }
}
