package io.teardownguard.conformance.endpoint;

import io.teardownguard.conformance.scenario.ApiVariant;
import io.teardownguard.model.tls.TlsSnapshot;
import io.teardownguard.model.tls.TlsVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * An {@code SSLSocket} layered over the connected socket. With autoClose, on close it does what a
 * plain SSLSocket does to the socket beneath (SSLSocketImpl.closeSocket: {@code autoClose ||
 * !isLayered()}); without, it leaves that socket open. Also tells the model what its TLS layer holds, through the public API only, so
 * that the suite checks the model without the agent's reader: the protocol of the session, the
 * decrypted bytes not yet read ({@code available()}), whether a read saw the end of the stream.
 */
public final class TlsEndpoint extends SocketEndpoint {
  private final SSLSocket tls;
  private final Socket beneath;
  private boolean inputEnded;

  private TlsEndpoint(ApiVariant variant, SSLSocket tls, Socket beneath, InetSocketAddress remote) {
    super(variant, tls, remote);
    this.tls = tls;
    this.beneath = beneath;
  }

  /** The peer's part of the handshake: its socket taken up in {@code mode} ("client" or "server"). */
  public interface PeerHandshake {
    void run(String mode, String protocol, String keyStore) throws IOException;
  }

  /**
   * Takes up TLS on both ends of the connected {@code socket}: ours on a thread of its own, the
   * peer's (which blocks until ours answers) on this one.
   */
  public static TlsEndpoint handshake(ApiVariant variant, Socket socket, InetSocketAddress remote, boolean clientMode,
      PeerHandshake peer) throws IOException {
    Path keyStore = TlsContext.keyStore();
    SSLSocket tls = TlsContext.layer(socket, clientMode, variant.tlsProtocol(), keyStore, variant.autoClose());
    tls.setSoTimeout(TlsContext.HANDSHAKE_TIMEOUT_MILLIS);
    CompletableFuture<Void> ours = CompletableFuture.runAsync(() -> {
      try {
        tls.startHandshake();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    peer.run(clientMode ? "server" : "client", variant.tlsProtocol(), keyStore.toString());
    try {
      ours.get(TlsContext.HANDSHAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("TLS handshake of the endpoint under test: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted in the TLS handshake", e);
    }
    return new TlsEndpoint(variant, tls, socket, remote);
  }

  /** What the TLS layer holds now, as the model's TLS close takes it. */
  public TlsSnapshot tlsSnapshot() throws IOException {
    TlsVersion version = "TLSv1.3".equals(tls.getSession().getProtocol()) ? TlsVersion.TLS_1_3 : TlsVersion.TLS_1_2;
    long decrypted = inputEnded ? 0 : tls.getInputStream().available();
    return new TlsSnapshot(version, tls.getUseClientMode(), true, variant().autoClose(), inputEnded, decrypted, 0);
  }

  /**
   * The socket beneath is released too: without autoClose the SSLSocket's close leaves it open
   * (and a TLS 1.2 close would wait for a close_notify that a released peer never sends).
   */
  @Override
  public void release() throws IOException {
    if (variant().autoClose()) {
      super.release();
    } else {
      Endpoints.closeWithoutLinger(beneath);
    }
  }

  /** The socket beneath: what the observer reads, as the agent's TLS close does. */
  @Override
  public Object socket() {
    return beneath;
  }

  @Override
  public int read(int max, long timeoutMillis) throws IOException {
    int n = super.read(max, timeoutMillis);
    inputEnded |= n < 0;
    return n;
  }

  /**
   * SSLSocket.shutdownInput() before the peer's close_notify throws ("closing inbound before
   * receiving peer's close_notify"), but only after it has closed the TLS input and shut the
   * input of the socket beneath (its finally block): the call took effect.
   */
  @Override
  void shutdownInputThroughApi() throws IOException {
    try {
      super.shutdownInputThroughApi();
    } catch (SSLException tookEffect) {
      // the TLS input and the socket beneath are shut all the same
    }
    inputEnded = true;
  }
}
