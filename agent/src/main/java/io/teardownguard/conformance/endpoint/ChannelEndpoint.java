package io.teardownguard.conformance.endpoint;

import io.teardownguard.conformance.scenario.ApiVariant;
import io.teardownguard.model.ChannelMode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * A {@code SocketChannel} in blocking mode, non-blocking mode, or non-blocking and registered
 * with its own Selector (polled only by {@link #select()}, as a selector loop would).
 */
final class ChannelEndpoint extends AbstractEndpoint {
  private static final long POLL_MILLIS = 1;

  private final SocketChannel channel;
  private final Selector selector;
  /** Taken up front: the adaptor refuses getInputStream() once input is shut. */
  private final java.io.InputStream adaptorInput;

  private ChannelEndpoint(ApiVariant variant, SocketChannel channel, Selector selector,
      InetSocketAddress remote) throws IOException {
    super(variant, (InetSocketAddress) channel.getLocalAddress(), remote);
    this.channel = channel;
    this.selector = selector;
    this.adaptorInput = channel.isBlocking() && channel.isConnected() ? channel.socket().getInputStream() : null;
  }

  /**
   * Puts a channel (connected, or with a connect pending) in the variant's mode; {@code remote}
   * is where it connects to.
   */
  static ChannelEndpoint of(ApiVariant variant, SocketChannel channel, InetSocketAddress remote)
      throws IOException {
    if (variant.mode() == ChannelMode.BLOCKING) {
      return new ChannelEndpoint(variant, channel, null, remote);
    }
    channel.configureBlocking(false);
    if (variant.mode() == ChannelMode.NON_BLOCKING) {
      return new ChannelEndpoint(variant, channel, null, remote);
    }
    Selector selector = Selector.open();
    channel.register(selector, channel.isConnected() ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
    // One pass so the key reaches epoll, as in a running selector loop.
    selector.selectNow();
    return new ChannelEndpoint(variant, channel, selector, remote);
  }

  @Override
  public Object socket() {
    return channel;
  }

  @Override
  public boolean connected() {
    return channel.isConnected();
  }

  @Override
  public void write(int bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(bytes);
    long deadline = System.currentTimeMillis() + IO_TIMEOUT_MILLIS;
    while (buffer.hasRemaining()) {
      if (channel.write(buffer) == 0) {
        if (System.currentTimeMillis() > deadline) {
          throw new IOException("write of " + bytes + " bytes did not finish in " + IO_TIMEOUT_MILLIS + " ms");
        }
        pause();
      }
    }
  }

  @Override
  public int read(int max, long timeoutMillis) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(max);
    if (variant().mode() == ChannelMode.BLOCKING) {
      // The adaptor's stream honours SO_TIMEOUT on a blocking channel (the JDK restores blocking
      // mode afterwards), so a read that finds nothing ends instead of hanging.
      channel.socket().setSoTimeout((int) Math.max(1, timeoutMillis));
      try {
        return adaptorInput.read(buffer.array());
      } catch (java.net.SocketTimeoutException e) {
        return 0;
      }
    }
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (true) {
      int n = channel.read(buffer);
      if (n != 0 || System.currentTimeMillis() > deadline) {
        return n;
      }
      pause();
    }
  }

  @Override
  void shutdownInputThroughApi() throws IOException {
    channel.shutdownInput();
  }

  @Override
  void shutdownOutputThroughApi() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public void setLinger(int seconds) throws IOException {
    channel.setOption(StandardSocketOptions.SO_LINGER, seconds);
  }

  @Override
  public int linger() throws IOException {
    return channel.getOption(StandardSocketOptions.SO_LINGER);
  }

  @Override
  public void closeInputStream() throws IOException {
    Channels.newInputStream(channel).close();
  }

  @Override
  public void closeOutputStream() throws IOException {
    Channels.newOutputStream(channel).close();
  }

  @Override
  public void connectAgain() throws IOException {
    channel.connect(remoteAddress());
  }

  @Override
  public boolean awaitReadable(long millis) throws IOException {
    if (selector == null) {
      throw new UnsupportedOperationException("only a registered channel has a Selector");
    }
    return selector.select(millis) > 0
        && selector.selectedKeys().stream().anyMatch(SelectionKey::isReadable);
  }

  @Override
  public void select() throws IOException {
    if (selector != null) {
      selector.selectNow();
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public void release() throws IOException {
    Endpoints.closeWithoutLinger(channel);
    if (selector != null) {
      selector.close();
    }
  }

  private static void pause() throws IOException {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
