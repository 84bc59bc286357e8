package io.teardownguard.agent.core;

import io.teardownguard.agent.jdk.JdkSockets;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.TeardownCall;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;

/**
 * {@code sun.nio.ch.SocketChannelImpl} and {@code ServerSocketChannelImpl}, also beneath their
 * adaptors ({@code socket()}). TCP only: a Unix-domain channel takes no effect here (outside the
 * model, docs/agent.md). A close acts once the JDK has begun it (the hook runs inside it); a
 * shutdown only on a connected channel that still owns its descriptor (else SocketChannelImpl
 * throws and does nothing); an option set while the descriptor is its own.
 */
final class ChannelView implements SocketView {
  private final JdkSockets jdk;

  ChannelView(JdkSockets jdk) {
    this.jdk = jdk;
  }

  @Override
  public boolean takesEffect(Object channel, TeardownCall.Op op) {
    if (jdk.channelIsUnixDomain(channel)) {
      return false;
    }
    return switch (op) {
      case CLOSE, CLOSE_INPUT_STREAM, CLOSE_OUTPUT_STREAM -> true;
      case SHUTDOWN_INPUT, SHUTDOWN_OUTPUT -> ownsDescriptor(channel) && jdk.channelConnected(channel);
      case SET_SO_LINGER -> ownsDescriptor(channel) && jdk.isSocketChannel(channel);
    };
  }

  @Override
  public boolean ownsDescriptor(Object channel) {
    return jdk.channelOwnsFd(channel) && !jdk.channelIsUnixDomain(channel);
  }

  /**
   * The adaptor once the application took it ({@code SocketChannelImpl.socket} is set by the first
   * {@code socket()} call and never cleared): a channel used through {@code socket()} is counted
   * as the adaptor, without a stack walk.
   */
  @Override
  public JavaApi api(Object channel) {
    boolean adaptor = jdk.channelAdaptorTaken(channel);
    if (jdk.isSocketChannel(channel)) {
      return adaptor ? JavaApi.SOCKET_ADAPTOR : JavaApi.SOCKET_CHANNEL;
    }
    return adaptor ? JavaApi.SERVER_SOCKET_ADAPTOR : JavaApi.SERVER_SOCKET_CHANNEL;
  }

  /** isBlocking() takes no lock; registration is read from keyCount, not isRegistered() (keyLock). */
  @Override
  public ChannelMode mode(Object channel) {
    if (jdk.channelRegistered(channel)) {
      return ChannelMode.REGISTERED;
    }
    return ((SelectableChannel) channel).isBlocking() ? ChannelMode.BLOCKING : ChannelMode.NON_BLOCKING;
  }

  @Override
  public int fd(Object channel) throws Throwable {
    return jdk.channelFd(channel);
  }

  /** SocketChannelImpl keeps no EOF flag: the probe always reads the receive queue. */
  @Override
  public boolean inputAtEof(Object channel) {
    return false;
  }

  @Override
  public boolean connected(Object channel) {
    return jdk.isSocketChannel(channel) && jdk.channelConnected(channel);
  }

  @Override
  public boolean inputShut(Object channel) {
    return jdk.isSocketChannel(channel) && jdk.channelInputClosed(channel);
  }

  @Override
  public boolean outputShut(Object channel) {
    return jdk.isSocketChannel(channel) && jdk.channelOutputClosed(channel);
  }

  @Override
  public SocketAddress local(Object channel) {
    return jdk.channelLocal(channel);
  }

  @Override
  public SocketAddress remote(Object channel) {
    return jdk.channelRemote(channel);
  }

  @Override
  public int localPort(Object channel) {
    return jdk.localPortOf(channel);
  }

  /** Hooked around: {@code NioSocketImpl.close()} / {@code implCloseSelectableChannel()} (JdkSocketInstrumentation). */
  @Override
  public boolean closeReturnHooked() {
    return true;
  }
}
