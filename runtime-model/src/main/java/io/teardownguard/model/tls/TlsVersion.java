package io.teardownguard.model.tls;

/** The TLS protocol version a connection negotiated, as far as its close is concerned. */
public enum TlsVersion {
  /**
   * TLS 1.2 and earlier: a close expects the peer's close_notify in return ("close receipt",
   * RFC 5246 7.2.1), so SSLSocketImpl shuts nothing down for input: it closes the socket beneath.
   */
  TLS_1_2,
  /**
   * TLS 1.3 (RFC 8446 6.1): each direction closes on its own; SSLSocketImpl sends user_canceled
   * before close_notify for a duplex close, then drains and shuts the input of the socket beneath.
   */
  TLS_1_3,
  /** The handshake has not completed: the close sends user_canceled and close_notify, as TLS 1.3. */
  NOT_NEGOTIATED
}
