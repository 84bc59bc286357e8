package io.teardownguard.conformance.endpoint;

import io.teardownguard.conformance.scenario.ApiVariant;
import io.teardownguard.model.Linger;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.Channels;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@code AsynchronousSocketChannel} in the default channel group. A read is a completion
 * handler's read: one that finds nothing within the step's time stays pending, as it would in a
 * program built on completion handlers (a timed read would instead forbid every later read once it
 * times out, {@code readKilled}), and the next read takes its result. {@code read-pending N} starts
 * such a read on purpose, so that the call under test runs with a read pending.
 */
public final class AsyncChannelEndpoint extends AbstractEndpoint {
  private final AsynchronousSocketChannel channel;
  /** The read started and not yet taken by a step: its byte count, or the exception's simple name. */
  private Pending<Integer> pendingRead;
  /** The write left stalled by {@link #writeUntilPending}: its byte count, or the exception's simple name. */
  private Pending<Integer> pendingWrite;
  /** A write not done within this long is stalled: the kernel's send buffer is full. */
  private static final long STALLED_MILLIS = 200;
  /** Bounds {@link #writeUntilPending}: a send buffer set by the scenario fills long before. */
  private static final int MAX_WRITES = 256;

  AsyncChannelEndpoint(ApiVariant variant, AsynchronousSocketChannel channel, InetSocketAddress remote)
      throws IOException {
    super(variant, (InetSocketAddress) channel.getLocalAddress(), remote);
    this.channel = channel;
  }

  @Override
  public Object socket() {
    return channel;
  }

  @Override
  public boolean connected() {
    try {
      return channel.getRemoteAddress() != null;
    } catch (IOException closed) {
      return false;
    }
  }

  @Override
  public void write(int bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(bytes);
    long deadline = System.currentTimeMillis() + IO_TIMEOUT_MILLIS;
    while (buffer.hasRemaining()) {
      try {
        channel.write(buffer).get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new IOException("write of " + bytes + " bytes did not finish in " + IO_TIMEOUT_MILLIS + " ms");
      } catch (InterruptedException | ExecutionException e) {
        throw new IOException("write failed", e);
      }
    }
  }

  @Override
  public int read(int max, long timeoutMillis) throws IOException {
    if (pendingRead == null) {
      readPending(max);
    }
    String result = pendingRead.within(timeoutMillis);
    if (result == null) {
      return 0;
    }
    pendingRead = null;
    try {
      return Integer.parseInt(result);
    } catch (NumberFormatException failed) {
      throw new IOException("read failed: " + result);
    }
  }

  /** Starts a read of up to {@code max} bytes with a completion handler, and does not wait for it. */
  public void readPending(int max) {
    if (pendingRead != null) {
      throw new IllegalStateException("a read is already pending");
    }
    pendingRead = new Pending<>(String::valueOf);
    channel.read(ByteBuffer.allocate(max), null, pendingRead);
  }

  /**
   * What the pending read came to, waiting up to {@code millis}: its byte count (-1 at end of
   * stream), the exception it failed with, or "pending".
   */
  public String pendingReadResult(long millis) {
    return pendingRead == null ? "none" : pendingRead.describeWithin(millis);
  }

  /**
   * Writes {@code chunk} bytes at a time with a completion handler until a write stays pending:
   * the kernel's send buffer is full, write(2) returned EAGAIN, and the channel waits for POLLOUT
   * (UnixAsynchronousSocketChannelImpl.implWrite). A write that the kernel takes in part completes
   * at once with its count, so the stalled one has taken nothing; returns what the completed ones
   * took, which is all the kernel holds from this side.
   */
  public long writeUntilPending(int chunk) throws IOException {
    long taken = 0;
    for (int i = 0; i < MAX_WRITES; i++) {
      Pending<Integer> write = new Pending<>(String::valueOf);
      channel.write(ByteBuffer.allocate(chunk), null, write);
      String result = write.within(STALLED_MILLIS);
      if (result == null) {
        pendingWrite = write;
        return taken;
      }
      try {
        taken += Integer.parseInt(result);
      } catch (NumberFormatException failed) {
        throw new IOException("write failed: " + result);
      }
    }
    throw new IOException(MAX_WRITES + " writes of " + chunk + " bytes and none stalled");
  }

  /** What the stalled write came to, waiting up to {@code millis}: its byte count, the exception, or "pending". */
  public String pendingWriteResult(long millis) {
    return pendingWrite == null ? "none" : pendingWrite.describeWithin(millis);
  }

  @Override
  void shutdownInputThroughApi() throws IOException {
    channel.shutdownInput();
  }

  @Override
  void shutdownOutputThroughApi() throws IOException {
    channel.shutdownOutput();
  }

  /** The JDK refuses it: UnsupportedOperationException ({@code supportedOptions()} has no SO_LINGER). */
  @Override
  public void setLinger(int seconds) throws IOException {
    channel.setOption(StandardSocketOptions.SO_LINGER, seconds);
  }

  /** Always off: the JDK can neither set nor read SO_LINGER on an asynchronous channel. */
  @Override
  public int linger() {
    return Linger.OFF;
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
    try {
      channel.connect(remoteAddress()).get(IO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IOException("connect failed", e);
    }
  }

  @Override
  public boolean awaitReadable(long millis) {
    throw new UnsupportedOperationException("an asynchronous channel has no Selector");
  }

  @Override
  public void select() {
    // Never registered with a Selector: its close(2) is made in close() itself.
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** No SO_LINGER 0 first (the JDK refuses it); the peer has been reset by then anyway. */
  @Override
  public void release() throws IOException {
    channel.close();
  }
}
