package io.teardownguard.agent.core;

import io.teardownguard.agent.jdk.JdkAsyncChannels;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.TeardownCall;
import java.net.SocketAddress;

/**
 * {@code sun.nio.ch.AsynchronousSocketChannelImpl} and {@code AsynchronousServerSocketChannelImpl}
 * (their Linux subclasses are what the hooks receive): a non-blocking descriptor polled by the
 * channel group's epoll port, never registered with a Selector, so the mode is
 * {@link ChannelMode#NON_BLOCKING} and close() is one close(2), made at once (model rows
 * {@code async-channel-close}, {@code async-listener-close}).
 *
 * <p>The close hook is at {@code implClose()}'s entry: {@code close()} has set {@code closed} (once)
 * and the descriptor is open until the close(2) that follows, so a close always takes effect there.
 * A shutdown does only on an open channel with a peer ({@code NotYetConnectedException} otherwise).
 * The JDK refuses SO_LINGER on these channels ({@code async-set-linger-refused}): no hook, and it is
 * off unless the probe reads otherwise. The JDK handles are made at the first use, so a process
 * that never opens an asynchronous channel loads none of it.
 */
final class AsyncChannelView implements SocketView {
  private volatile JdkAsyncChannels jdk;

  private JdkAsyncChannels jdk() {
    JdkAsyncChannels made = jdk;
    if (made == null) {
      try {
        made = JdkAsyncChannels.create(); // two first calls make equal handles: either serves
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read the JDK's asynchronous channels", e);
      }
      jdk = made;
    }
    return made;
  }

  @Override
  public boolean takesEffect(Object channel, TeardownCall.Op op) {
    return switch (op) {
      case CLOSE, CLOSE_INPUT_STREAM, CLOSE_OUTPUT_STREAM -> true;
      case SHUTDOWN_INPUT, SHUTDOWN_OUTPUT -> ownsDescriptor(channel) && jdk().remote(channel) != null;
      case SET_SO_LINGER -> false;
    };
  }

  @Override
  public boolean ownsDescriptor(Object channel) {
    return !jdk().closed(channel);
  }

  @Override
  public JavaApi api(Object channel) {
    return jdk().isSocketChannel(channel) ? JavaApi.ASYNCHRONOUS_SOCKET_CHANNEL
        : JavaApi.ASYNCHRONOUS_SERVER_SOCKET_CHANNEL;
  }

  @Override
  public ChannelMode mode(Object channel) {
    return ChannelMode.NON_BLOCKING;
  }

  @Override
  public int fd(Object channel) {
    return jdk().fd(channel);
  }

  /** The JDK keeps no EOF flag for them: the probe always reads the receive queue. */
  @Override
  public boolean inputAtEof(Object channel) {
    return false;
  }

  @Override
  public boolean connected(Object channel) {
    return jdk().isSocketChannel(channel) && jdk().connected(channel);
  }

  @Override
  public boolean inputShut(Object channel) {
    return jdk().isSocketChannel(channel) && jdk().inputShut(channel);
  }

  @Override
  public boolean outputShut(Object channel) {
    return jdk().isSocketChannel(channel) && jdk().outputShut(channel);
  }

  @Override
  public SocketAddress local(Object channel) {
    return jdk().local(channel);
  }

  @Override
  public SocketAddress remote(Object channel) {
    return jdk().remote(channel);
  }

  @Override
  public int localPort(Object channel) {
    return jdk().localPort(channel);
  }
}
