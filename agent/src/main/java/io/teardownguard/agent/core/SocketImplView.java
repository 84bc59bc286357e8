package io.teardownguard.agent.core;

import io.teardownguard.agent.jdk.JdkSockets;
import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import io.teardownguard.model.TeardownCall;
import java.net.SocketAddress;

/**
 * {@code sun.nio.ch.NioSocketImpl}, beneath {@code java.net.Socket} and {@code ServerSocket}
 * (JDK 13+): always blocking; its close acts on a socket that has a descriptor and is not
 * closing yet, and so does a shutdown; SO_LINGER is a connection's option, not a listener's.
 */
final class SocketImplView implements SocketView {
  private final JdkSockets jdk;

  SocketImplView(JdkSockets jdk) {
    this.jdk = jdk;
  }

  @Override
  public boolean takesEffect(Object impl, TeardownCall.Op op) {
    return ownsDescriptor(impl) && (op != TeardownCall.Op.SET_SO_LINGER || !jdk.implIsServer(impl));
  }

  @Override
  public boolean ownsDescriptor(Object impl) {
    return jdk.implIsLive(impl);
  }

  @Override
  public JavaApi api(Object impl) {
    return jdk.implIsServer(impl) ? JavaApi.SERVER_SOCKET : JavaApi.SOCKET;
  }

  @Override
  public ChannelMode mode(Object impl) {
    return ChannelMode.BLOCKING;
  }

  @Override
  public int fd(Object impl) {
    return jdk.implFd(impl);
  }

  @Override
  public boolean inputAtEof(Object impl) {
    return !jdk.implIsServer(impl) && jdk.implInputAtEof(impl);
  }

  @Override
  public boolean connected(Object impl) {
    return jdk.implConnected(impl);
  }

  @Override
  public boolean inputShut(Object impl) {
    return jdk.implInputClosed(impl);
  }

  @Override
  public boolean outputShut(Object impl) {
    return jdk.implOutputClosed(impl);
  }

  @Override
  public SocketAddress local(Object impl) {
    try {
      return jdk.implLocal(impl);
    } catch (Throwable t) {
      return null; // the descriptor is gone: no address rather than an error in close()
    }
  }

  @Override
  public SocketAddress remote(Object impl) {
    return jdk.implRemote(impl);
  }

  @Override
  public int localPort(Object impl) {
    return jdk.localPortOf(impl);
  }

  /** Hooked around: {@code NioSocketImpl.close()} / {@code implCloseSelectableChannel()} (JdkSocketInstrumentation). */
  @Override
  public boolean closeReturnHooked() {
    return true;
  }
}
