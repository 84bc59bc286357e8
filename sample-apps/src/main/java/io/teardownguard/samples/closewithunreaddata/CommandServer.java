package io.teardownguard.samples.closewithunreaddata;

import io.teardownguard.samples.support.Loopback;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * A non-blocking command server: one thread, one Selector. A request is a {@value HEADER_BYTES}
 * byte header (the command) followed by a body; the reply is one line.
 */
final class CommandServer implements Closeable {

  static final int HEADER_BYTES = 16;

  private static final long SELECT_MILLIS = 100;

  /** Bounds the selector loop: 20 idle selects of 100 ms, within the sample's time budget. */
  private static final int MAX_SELECTS = 20;

  private final Selector selector;
  private final ServerSocketChannel listener;

  /** What the server does when a connection is readable; it closes the channel when done. */
  @FunctionalInterface
  interface ReadHandler {
    void onReadable(SelectionKey key) throws IOException;
  }

  /** One connection's request as read so far. */
  private static final class Request {
    final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    final ByteBuffer discard = ByteBuffer.allocate(8 * 1024);
  }

  private CommandServer(Selector selector, ServerSocketChannel listener) {
    this.selector = selector;
    this.listener = listener;
  }

  static CommandServer open() throws IOException {
    Selector selector = Selector.open();
    ServerSocketChannel listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress(Loopback.address(), 0));
    listener.configureBlocking(false);
    listener.register(selector, SelectionKey.OP_ACCEPT);
    return new CommandServer(selector, listener);
  }

  int port() {
    return listener.socket().getLocalPort();
  }

  /**
   * Runs the selector loop until {@code handler} has closed a connection, then selects once more:
   * the JDK defers the close(2) of a registered channel to the selector's next select, which
   * deregisters it ({@code SelectorImpl.processDeregisterQueue()}).
   */
  void serveOne(ReadHandler handler) throws IOException {
    for (int round = 0; round < MAX_SELECTS; round++) {
      selector.select(SELECT_MILLIS);
      boolean closed = false;
      Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        SelectionKey key = keys.next();
        keys.remove();
        if (key.isAcceptable()) {
          accept();
        } else if (key.isReadable()) {
          handler.onReadable(key);
          closed |= !key.channel().isOpen();
        }
      }
      if (closed) {
        selector.selectNow();
        return;
      }
    }
    throw new IOException("no request completed within " + MAX_SELECTS + " selects");
  }

  /**
   * Unsafe: replies as soon as the header is in, and closes the channel from the selector loop
   * with the body still queued. The JDK sends FIN now and closes the socket at the next select;
   * with the body unread, that close(2) sends RST ({@code __tcp_close()}, RFC 2525 2.17).
   */
  static void replyAfterHeader(SelectionKey key) throws IOException {
    SocketChannel channel = (SocketChannel) key.channel();
    Request request = (Request) key.attachment();
    if (channel.read(request.header) < 0) {
      throw new ProtocolException("client closed inside the header");
    }
    if (request.header.hasRemaining()) {
      return;
    }
    reply(channel, request);
    key.channel().close();
  }

  /**
   * Safe: reads the body too, until the client's EOF (the client shuts its output down after
   * sending), and only then replies and closes: nothing is unread, so FIN, no RST.
   */
  static void replyAtEndOfRequest(SelectionKey key) throws IOException {
    SocketChannel channel = (SocketChannel) key.channel();
    Request request = (Request) key.attachment();
    ByteBuffer target = request.header.hasRemaining() ? request.header : request.discard.clear();
    if (channel.read(target) >= 0) {
      return;
    }
    if (request.header.hasRemaining()) {
      throw new ProtocolException("client closed inside the header");
    }
    reply(channel, request);
    key.channel().close();
  }

  /** Closes the Selector first, so the listener is no longer registered and closes at once. */
  @Override
  public void close() throws IOException {
    selector.close();
    listener.close();
  }

  private void accept() throws IOException {
    SocketChannel connection = listener.accept();
    connection.configureBlocking(false);
    connection.register(selector, SelectionKey.OP_READ, new Request());
  }

  private static void reply(SocketChannel channel, Request request) throws IOException {
    String command = new String(request.header.array(), StandardCharsets.US_ASCII).trim();
    ByteBuffer reply = StandardCharsets.US_ASCII.encode("OK " + command + "\r\n");
    channel.write(reply);
    if (reply.hasRemaining()) {
      throw new IOException("a one-line reply did not fit an empty send buffer");
    }
  }
}
