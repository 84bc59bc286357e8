package io.teardownguard.conformance.endpoint;

import io.teardownguard.conformance.scenario.ApiVariant;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A listening socket (on 127.0.0.1, or our end of a link) through one Java API: the listener under test, or the
 * infrastructure that accepts the connection under test.
 */
public final class Listener {
  private final ApiVariant variant;
  private final ServerSocket serverSocket;
  private final ServerSocketChannel channel;
  private final Selector selector;
  private final InetSocketAddress address;

  private Listener(ApiVariant variant, ServerSocket serverSocket, ServerSocketChannel channel,
      Selector selector) {
    this.variant = variant;
    this.serverSocket = serverSocket;
    this.channel = channel;
    this.selector = selector;
    this.address = (InetSocketAddress) (serverSocket != null
        ? serverSocket.getLocalSocketAddress() : channel.socket().getLocalSocketAddress());
  }

  /**
   * Opens a listener; {@code receiveBuffer} (0 for the default) is inherited by accepted
   * sockets, so it must be set before listen(2) to shape the window they advertise.
   */
  public static Listener open(ApiVariant variant, InetAddress address, int backlog, int receiveBuffer)
      throws IOException {
    InetSocketAddress bindTo = new InetSocketAddress(address, 0);
    if (variant == ApiVariant.SERVER_SOCKET) {
      ServerSocket server = new ServerSocket();
      if (receiveBuffer > 0) {
        server.setReceiveBufferSize(receiveBuffer);
      }
      server.bind(bindTo, backlog);
      return new Listener(variant, server, null, null);
    }
    ServerSocketChannel channel = ServerSocketChannel.open();
    if (receiveBuffer > 0) {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
    }
    channel.bind(bindTo, backlog);
    if (variant == ApiVariant.SERVER_SOCKET_CHANNEL_SELECTOR) {
      channel.configureBlocking(false);
      Selector selector = Selector.open();
      channel.register(selector, SelectionKey.OP_ACCEPT);
      selector.selectNow();
      return new Listener(variant, null, channel, selector);
    }
    return new Listener(variant, null, channel, null);
  }

  public ApiVariant variant() {
    return variant;
  }

  public InetSocketAddress address() {
    return address;
  }

  /** Accepts the next connection as a {@code java.net.Socket} (only for a ServerSocket). */
  public java.net.Socket acceptSocket() throws IOException {
    serverSocket.setSoTimeout((int) Endpoint.IO_TIMEOUT_MILLIS);
    return serverSocket.accept();
  }

  /** Accepts the next connection as a channel (only for a ServerSocketChannel in blocking mode). */
  public SocketChannel acceptChannel() throws IOException {
    return channel.accept();
  }

  /** Accepts one queued connection through whichever API this listener has, and keeps it open. */
  public Object acceptAny() throws IOException {
    if (serverSocket != null) {
      return acceptSocket();
    }
    if (variant == ApiVariant.SERVER_SOCKET_ADAPTOR) {
      channel.socket().setSoTimeout((int) Endpoint.IO_TIMEOUT_MILLIS);
      return channel.socket().accept();
    }
    long deadline = System.currentTimeMillis() + Endpoint.IO_TIMEOUT_MILLIS;
    while (true) {
      SocketChannel accepted = channel.accept();
      if (accepted != null) {
        return accepted;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IOException("nothing to accept within " + Endpoint.IO_TIMEOUT_MILLIS + " ms");
      }
      Thread.onSpinWait();
    }
  }

  /** The teardown call: close the listener through its API. */
  public void close() throws IOException {
    if (serverSocket != null) {
      serverSocket.close();
    } else if (variant == ApiVariant.SERVER_SOCKET_ADAPTOR) {
      channel.socket().close();
    } else {
      channel.close();
    }
  }

  /** A Selector pass, where a registered listener's deferred close happens. */
  public void select() throws IOException {
    if (selector != null) {
      selector.selectNow();
    }
  }

  /** The {@code ServerSocket} or {@code ServerSocketChannel} under test (for the agent's observer). */
  public Object socket() {
    return serverSocket != null ? serverSocket : channel;
  }

  public void release() throws IOException {
    close();
    if (selector != null) {
      selector.close();
    }
  }
}
