package io.teardownguard.samples.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;

/**
 * Endpoints on 127.0.0.1 with a port the kernel picks, and every blocking call bounded: a sample
 * that stalls fails with a timeout instead of hanging its runner.
 */
public final class Loopback {

  /** Bound for each connect, accept and read. */
  public static final int TIMEOUT_MILLIS = 2_000;

  private static final InetAddress ADDRESS = ipv4Loopback();

  private Loopback() {}

  /** A listener on 127.0.0.1, port 0, default buffers. */
  public static ServerSocket listen() throws IOException {
    ServerSocket listener = new ServerSocket();
    listener.bind(new InetSocketAddress(ADDRESS, 0));
    listener.setSoTimeout(TIMEOUT_MILLIS);
    return listener;
  }

  /**
   * A listener whose accepted connections get a receive buffer of about {@code bytes}, so the
   * peer can have only that much in flight before the window closes. It must be set before bind:
   * the window scale is fixed in the SYN-ACK from the listener's buffer (tcp(7), SO_RCVBUF).
   */
  public static ServerSocket listenWithReceiveBuffer(int bytes) throws IOException {
    ServerSocket listener = new ServerSocket();
    listener.setReceiveBufferSize(bytes);
    listener.bind(new InetSocketAddress(ADDRESS, 0));
    listener.setSoTimeout(TIMEOUT_MILLIS);
    return listener;
  }

  /** Connects to {@code port} on 127.0.0.1; reads on the result time out. */
  public static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(ADDRESS, port), TIMEOUT_MILLIS);
    socket.setSoTimeout(TIMEOUT_MILLIS);
    return socket;
  }

  /** Accepts one connection (the listener's SO_TIMEOUT bounds the wait); reads on it time out. */
  public static Socket accept(ServerSocket listener) throws IOException {
    Socket connection = listener.accept();
    connection.setSoTimeout(TIMEOUT_MILLIS);
    return connection;
  }

  /** The address every sample uses; never anything but 127.0.0.1. */
  public static InetAddress address() {
    return ADDRESS;
  }

  private static InetAddress ipv4Loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError("a four-byte address is always valid", e);
    }
  }
}
