package io.teardownguard.conformance.endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@code AsynchronousServerSocketChannel} (default channel group) and the connections it
 * accepted, kept open until the run ends. {@link #acceptPending()} starts an accept with a
 * completion handler and does not wait: while it is pending, the group's epoll port takes the
 * next connection off the accept queue as soon as it arrives (one per accept).
 */
public final class AsyncAccepts {
  private final AsynchronousServerSocketChannel channel;
  private final List<AsynchronousSocketChannel> accepted = new ArrayList<>();
  /** The accept started and not yet waited for: "accepted", or the exception's simple name. */
  private Pending<AsynchronousSocketChannel> pendingAccept;

  private AsyncAccepts(AsynchronousServerSocketChannel channel) {
    this.channel = channel;
  }

  static AsyncAccepts open(InetSocketAddress bindTo, int backlog, int receiveBuffer) throws IOException {
    AsynchronousServerSocketChannel channel = AsynchronousServerSocketChannel.open();
    if (receiveBuffer > 0) {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
    }
    channel.bind(bindTo, backlog);
    return new AsyncAccepts(channel);
  }

  AsynchronousServerSocketChannel channel() {
    return channel;
  }

  InetSocketAddress address() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  /** Accepts the next connection, waiting up to the endpoint I/O timeout. */
  public AsynchronousSocketChannel accept() throws IOException {
    try {
      AsynchronousSocketChannel child = channel.accept().get(Endpoint.IO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      synchronized (accepted) {
        accepted.add(child);
      }
      return child;
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IOException("nothing accepted within " + Endpoint.IO_TIMEOUT_MILLIS + " ms", e);
    }
  }

  /** Starts an accept with a completion handler, which keeps what it accepts open. */
  public void acceptPending() {
    pendingAccept = new Pending<>(child -> {
      synchronized (accepted) {
        accepted.add(child);
      }
      return "accepted";
    });
    channel.accept(null, pendingAccept);
  }

  /** What the pending accept came to within {@code millis}: "accepted", an exception's name, "pending". */
  public String pendingAcceptResult(long millis) {
    return pendingAccept == null ? "none" : pendingAccept.describeWithin(millis);
  }

  void close() throws IOException {
    channel.close();
  }

  /** Closes what the accepts took (SO_LINGER is off: the JDK refuses it on these channels). */
  void release() throws IOException {
    synchronized (accepted) {
      for (AsynchronousSocketChannel child : accepted) {
        child.close();
      }
      accepted.clear();
    }
  }
}
