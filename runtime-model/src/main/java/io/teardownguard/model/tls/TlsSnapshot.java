package io.teardownguard.model.tls;

import java.util.Objects;

/**
 * What the JDK's TLS layer ({@code sun.security.ssl.SSLSocketImpl}) holds when the application
 * closes an {@code SSLSocket}, read from its fields before it acts.
 *
 * @param version the negotiated protocol
 * @param clientMode this side is the TLS client ({@code SSLConfiguration.isClientMode}): a TLS 1.3
 *     client may hold the server's NewSessionTicket, a post-handshake record, in its receive queue
 * @param layered an SSLSocket over an existing socket ({@code SSLSocketFactory.createSocket(Socket,
 *     host, port, autoClose)}; {@code BaseSSLSocketImpl.isLayered()})
 * @param autoClose a layered socket closes the socket beneath when it closes
 * @param inboundClosed the TLS input is closed: the peer's close_notify was read, or
 *     shutdownInput() or an earlier close drained it ({@code TransportContext.isInboundClosed()})
 * @param decryptedUnread application bytes decrypted and not yet read
 *     ({@code SSLSocketImpl$AppInputStream.buffer}, while {@code appDataIsAvailable})
 * @param partialRecordBytes bytes of a record the TLS layer has read but not yet decrypted
 *     ({@code SSLSocketInputRecord.headerOff} and {@code recordBody})
 */
public record TlsSnapshot(
    TlsVersion version,
    boolean clientMode,
    boolean layered,
    boolean autoClose,
    boolean inboundClosed,
    long decryptedUnread,
    long partialRecordBytes) {

  public TlsSnapshot {
    Objects.requireNonNull(version, "version");
    if (decryptedUnread < 0 || partialRecordBytes < 0) {
      throw new IllegalArgumentException("byte counts must not be negative");
    }
  }

  /** Whether the close reaches the socket beneath at all (SSLSocketImpl: {@code autoClose || !isLayered()}). */
  public boolean closesSocketBeneath() {
    return autoClose || !layered;
  }
}
