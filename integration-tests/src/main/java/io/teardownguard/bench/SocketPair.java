package io.teardownguard.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Both ends of one loopback connection, in this JVM: the client that connected, the side accepted. */
record SocketPair(Socket client, Socket server) {
  /** Bounds every connect, accept and read: a stuck peer fails the run instead of hanging it. */
  static final int TIMEOUT_MILLIS = 10_000;

  /** A listener on 127.0.0.1, an ephemeral port, accept bounded by the timeout. */
  static ServerSocket listen() throws IOException {
    ServerSocket listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    listener.setSoTimeout(TIMEOUT_MILLIS);
    return listener;
  }

  /**
   * Connects to {@code listener} and accepts. Blocking is safe on one thread: the kernel
   * completes the handshake and queues the connection before accept() is called.
   */
  static SocketPair open(ServerSocket listener) throws IOException {
    Socket client = new Socket();
    try {
      client.connect(listener.getLocalSocketAddress(), TIMEOUT_MILLIS);
      client.setSoTimeout(TIMEOUT_MILLIS);
      Socket server = listener.accept();
      server.setSoTimeout(TIMEOUT_MILLIS);
      return new SocketPair(client, server);
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }
}
