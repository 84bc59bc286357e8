package io.teardownguard.conformance.endpoint;

import io.teardownguard.conformance.scenario.ApiVariant;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;

/** Makes the endpoint under test from a socket or channel, in the variant's API and mode. */
public final class Endpoints {
  private Endpoints() {}

  /** Wraps an accepted {@code java.net.Socket}. */
  public static Endpoint ofSocket(ApiVariant variant, Socket socket, InetSocketAddress remote) {
    return new SocketEndpoint(variant, socket, remote);
  }

  /** Wraps a channel as the variant asks: the channel itself, or its socket adaptor. */
  public static Endpoint ofChannel(ApiVariant variant, SocketChannel channel, InetSocketAddress remote)
      throws IOException {
    if (variant == ApiVariant.SOCKET_ADAPTOR) {
      return new SocketEndpoint(variant, channel.socket(), remote);
    }
    return ChannelEndpoint.of(variant, channel, remote);
  }

  /** Wraps a connected {@code AsynchronousSocketChannel}. */
  public static Endpoint ofAsync(ApiVariant variant, AsynchronousSocketChannel channel, InetSocketAddress remote)
      throws IOException {
    return new AsyncChannelEndpoint(variant, channel, remote);
  }

  /**
   * Cleanup after a scenario: SO_LINGER 0 first, so that a socket the scenario left with a
   * positive linger and unacknowledged data cannot block the suite in close(2).
   */
  static void closeWithoutLinger(java.io.Closeable socketOrChannel) throws IOException {
    try {
      if (socketOrChannel instanceof Socket socket) {
        socket.setSoLinger(true, 0);
      } else {
        ((SocketChannel) socketOrChannel).setOption(StandardSocketOptions.SO_LINGER, 0);
      }
    } catch (IOException alreadyClosed) {
      // Closed by the scenario: nothing to abort.
    }
    socketOrChannel.close();
  }

  /** Sets SO_SNDBUF on whatever the endpoint wraps; used before data is written. */
  public static void setSendBuffer(Object socketOrChannel, int bytes) throws IOException {
    if (socketOrChannel instanceof Socket socket) {
      socket.setSendBufferSize(bytes);
    } else {
      ((NetworkChannel) socketOrChannel).setOption(StandardSocketOptions.SO_SNDBUF, bytes);
    }
  }
}
