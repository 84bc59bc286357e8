package io.teardownguard.model;

/** Outcomes that depend on timing or on what the peer does next; each names its trigger. */
public enum Condition {
  /** The peer sends data after the call: this side answers with RST. */
  PEER_SENDS_DATA("if the peer sends more data, this side answers with RST and the peer's next write fails"),
  /** The peer's FIN crosses ours: both ends go through CLOSING and both hold TIME_WAIT. */
  SIMULTANEOUS_CLOSE("if the peer's FIN crosses ours (simultaneous close), both ends hold TIME_WAIT"),
  /** A registered channel: close(2) and its segments happen only when the Selector selects. */
  SELECTOR_SELECTS("close(2) runs, and its segments go out, only when the Selector next selects"),
  /**
   * Our FIN is out, data is unread, the peer's FIN has not arrived: if it arrives before close(2),
   * the socket is already closed (tcp_fin in FIN_WAIT2 -> tcp_time_wait -> tcp_done) and
   * __tcp_close drops the unread bytes without the RST predicted. Decided only at close(2) itself.
   */
  PEER_FIN_BEFORE_CLOSE("if the peer's FIN arrives before close(2), the unread bytes are dropped"
      + " silently: no RST"),
  /**
   * A TLS close sent close_notify and our FIN while the peer's FIN was not in: a peer that answers
   * (its own close_notify, as a TLS 1.3 JDK peer does when it next reads, or more data) before the
   * close(2) beneath gets a RST from that close, after it a RST from the closed socket. The close
   * reads and discards in between (SSLSocketImpl), so the facts are read before that race ends.
   */
  PEER_ANSWERS_CLOSE_NOTIFY("if the peer answers our close_notify (its own close_notify, or data) before the"
      + " TLS close has closed the socket beneath, that close(2) resets; after it, the closed socket answers with RST"),
  /**
   * The peer's FIN is in and bytes we sent are not yet acknowledged when this call sends our FIN:
   * a peer that has closed its socket answers those bytes with RST (tcp_v4_rcv finds no socket and
   * tcp_v4_send_reset replies), and if that RST lands before the call's system call the connection
   * is already gone (tcp_reset -> tcp_done) and no FIN goes out. Measured in TlsCloseIT: a TLS 1.2
   * server's close_notify answered by the closed client's RST before the server's shutdownOutput.
   */
  PEER_RESET_BEFORE_FIN("if the peer has closed its socket, its RST answering our unacknowledged bytes can"
      + " arrive before this call: then no FIN goes out and the connection is already reset"),
  /** Our FIN is queued behind data the peer has not acknowledged. */
  PEER_READS_QUEUED_DATA("our FIN waits behind unacknowledged bytes until the peer reads them"),
  /** SO_LINGER > 0 and the FIN cannot be acknowledged yet: close() blocks. */
  PEER_DOES_NOT_ACKNOWLEDGE("close() blocks up to the linger time while the peer does not acknowledge;"
      + " Linux then returns without RST and keeps sending in the background"),
  /**
   * Our RST leaves while bytes we sent are still on their way (a link's qdisc or the wire):
   * tcp_send_active_reset() queues it behind them, so the peer still receives them, reads them
   * before "Connection reset", and acknowledges them before our RST arrives. Each acknowledgement
   * finds no socket (tcp_done() ran) and tcp_v4_send_reset() answers it with a bare RST, counted in
   * Tcp OutRsts: how many depends on the peer's ACKs (quick or delayed), measured 1 to 6.
   */
  PEER_ACKS_BYTES_IN_FLIGHT("bytes in flight at our RST still reach the peer, which acknowledges them; the closed"
      + " socket answers each acknowledgement with a bare RST (one more Tcp OutRsts each)"),
  /**
   * A TLS 1.2 SSLSocket layered without autoClose, the peer's close_notify not in: close() sends
   * close_notify and returns only once the peer's close_notify has come (SSLSocketImpl.waitForClose(),
   * decoding and discarding every record before it), or SO_TIMEOUT passed (forever when 0). A peer
   * that answers as RFC 5246 7.2.1 says ("respond with a close_notify alert of its own and close
   * down the connection immediately"; a JDK SSLSocket owning its socket shuts its output) sends its
   * FIN with it: the socket beneath, which this close leaves open, is then in CLOSE_WAIT.
   */
  PEER_ANSWERS_TLS12_CLOSE_NOTIFY("close() waits for the peer's close_notify (up to SO_TIMEOUT, forever without"
      + " one), discarding what comes before it; a peer that does not answer blocks it, one that keeps its connection"
      + " open leaves the socket beneath ESTABLISHED instead of CLOSE_WAIT");

  private final String text;

  Condition(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }
}
