package io.teardownguard.samples.closedeferredbyselector;

import io.teardownguard.samples.support.Loopback;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A one-shot notification service: it accepts one subscriber, registers it with its Selector,
 * sends it a notification, closes the channel and stops its loop. Closing a channel registered with a
 * Selector only shuts its output down: the JDK closes the descriptor when the Selector next
 * deregisters the key (SocketChannelImpl.kill, from processDeregisterQueue in select).
 */
final class NotificationLoop implements AutoCloseable {
  private final Selector selector;
  private final ServerSocketChannel listener;

  NotificationLoop() throws IOException {
    selector = Selector.open();
    listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress("127.0.0.1", 0));
  }

  int port() throws IOException {
    return ((InetSocketAddress) listener.getLocalAddress()).getPort();
  }

  /** Accepts one subscriber (blocking), registers it and notifies it from the loop. */
  SocketChannel notifyOneSubscriber() throws IOException {
    SocketChannel subscriber = listener.accept();
    subscriber.configureBlocking(false);
    subscriber.register(selector, SelectionKey.OP_WRITE);
    if (selector.select(Loopback.TIMEOUT_MILLIS) == 0) {
      throw new IOException("subscriber not writable within " + Loopback.TIMEOUT_MILLIS + " ms");
    }
    selector.selectedKeys().clear();
    subscriber.write(ByteBuffer.wrap("price changed\n".getBytes(StandardCharsets.US_ASCII)));
    return subscriber;
  }

  /**
   * Unsafe: closes the subscriber and stops without another select and without closing the
   * Selector: the socket is never released while the process lives.
   */
  static void closeAndStop(SocketChannel subscriber) throws IOException {
    subscriber.close();
  }

  /** Safe: closes the subscriber, then lets the Selector release it before stopping. */
  void closeAndRelease(SocketChannel subscriber) throws IOException {
    subscriber.close();
    selector.selectNow();
  }

  /** Closes the listener (never registered); the Selector is left as the variant left it. */
  @Override
  public void close() throws IOException {
    listener.close();
  }
}
