package io.teardownguard.conformance.scenario;

import io.teardownguard.model.ChannelMode;
import io.teardownguard.model.JavaApi;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A Java API and mode a scenario runs with; the name is how scenario files and reports write it. */
public enum ApiVariant {
  SOCKET("Socket", JavaApi.SOCKET, ChannelMode.BLOCKING),
  SOCKET_CHANNEL("SocketChannel", JavaApi.SOCKET_CHANNEL, ChannelMode.BLOCKING),
  SOCKET_CHANNEL_NON_BLOCKING("SocketChannel/nonblocking", JavaApi.SOCKET_CHANNEL, ChannelMode.NON_BLOCKING),
  SOCKET_CHANNEL_SELECTOR("SocketChannel/selector", JavaApi.SOCKET_CHANNEL, ChannelMode.REGISTERED),
  SOCKET_ADAPTOR("SocketAdaptor", JavaApi.SOCKET_ADAPTOR, ChannelMode.BLOCKING),
  SERVER_SOCKET("ServerSocket", JavaApi.SERVER_SOCKET, ChannelMode.BLOCKING),
  SERVER_SOCKET_CHANNEL("ServerSocketChannel", JavaApi.SERVER_SOCKET_CHANNEL, ChannelMode.BLOCKING),
  SERVER_SOCKET_CHANNEL_SELECTOR("ServerSocketChannel/selector", JavaApi.SERVER_SOCKET_CHANNEL, ChannelMode.REGISTERED),
  SERVER_SOCKET_ADAPTOR("ServerSocketAdaptor", JavaApi.SERVER_SOCKET_ADAPTOR, ChannelMode.BLOCKING),
  /** Non-blocking descriptor polled by its channel group's epoll port, never by a Selector. */
  ASYNC_SOCKET_CHANNEL("AsynchronousSocketChannel", JavaApi.ASYNCHRONOUS_SOCKET_CHANNEL, ChannelMode.NON_BLOCKING),
  ASYNC_SERVER_SOCKET_CHANNEL("AsynchronousServerSocketChannel", JavaApi.ASYNCHRONOUS_SERVER_SOCKET_CHANNEL,
      ChannelMode.NON_BLOCKING),
  /** An {@code SSLSocket} (TLS 1.2) layered with autoClose over the connected {@code java.net.Socket}. */
  SSL_SOCKET_TLS12("SSLSocket/TLSv1.2", JavaApi.SOCKET, ChannelMode.BLOCKING, "TLSv1.2"),
  /** The same with TLS 1.3. */
  SSL_SOCKET_TLS13("SSLSocket/TLSv1.3", JavaApi.SOCKET, ChannelMode.BLOCKING, "TLSv1.3"),
  /**
   * An {@code SSLSocket} (TLS 1.2) layered without autoClose: its close leaves the socket beneath
   * open, and waits for the peer's close_notify (SSLSocketImpl.waitForClose()).
   */
  SSL_SOCKET_TLS12_LAYERED("SSLSocket/TLSv1.2/layered", JavaApi.SOCKET, ChannelMode.BLOCKING, "TLSv1.2", false),
  /** The same with TLS 1.3, whose close depletes instead of waiting. */
  SSL_SOCKET_TLS13_LAYERED("SSLSocket/TLSv1.3/layered", JavaApi.SOCKET, ChannelMode.BLOCKING, "TLSv1.3", false);

  private final String fileName;
  private final JavaApi api;
  private final ChannelMode mode;
  private final String tlsProtocol;
  private final boolean autoClose;

  ApiVariant(String fileName, JavaApi api, ChannelMode mode) {
    this(fileName, api, mode, null, true);
  }

  ApiVariant(String fileName, JavaApi api, ChannelMode mode, String tlsProtocol) {
    this(fileName, api, mode, tlsProtocol, true);
  }

  ApiVariant(String fileName, JavaApi api, ChannelMode mode, String tlsProtocol, boolean autoClose) {
    this.fileName = fileName;
    this.api = api;
    this.mode = mode;
    this.tlsProtocol = tlsProtocol;
    this.autoClose = autoClose;
  }

  /** The TLS protocol both ends speak over the connection ({@code SSLSocket.setEnabledProtocols}), or null. */
  public String tlsProtocol() {
    return tlsProtocol;
  }

  /** For a TLS variant: whether closing the SSLSocket closes the socket beneath (createSocket's autoClose). */
  public boolean autoClose() {
    return autoClose;
  }

  /** Whether the endpoint is a {@code java.net.Socket} (a plain one or an SSLSocket over one). */
  public boolean overSocket() {
    return this == SOCKET || tlsProtocol != null;
  }

  public String fileName() {
    return fileName;
  }

  public JavaApi api() {
    return api;
  }

  public ChannelMode mode() {
    return mode;
  }

  public static ApiVariant byFileName(String name) {
    for (ApiVariant variant : values()) {
      if (variant.fileName.equals(name)) {
        return variant;
      }
    }
    throw new ScenarioException("unknown api '" + name + "'; accepted: "
        + Arrays.stream(values()).map(ApiVariant::fileName).collect(Collectors.joining(", ")));
  }
}
