package io.teardownguard.model.rules;

import static io.teardownguard.model.rules.Severity.ERROR;
import static io.teardownguard.model.rules.Severity.WARNING;

import java.util.List;

/** Every rule once: id, severity, summary, remedy and the sources that justify it. */
public enum Rule {
  CLOSE_WITH_UNREAD_DATA(
      RuleText.CLOSE_WITH_UNREAD_DATA,
      ERROR,
      RuleText.CLOSE_WITH_UNREAD_DATA_SUMMARY,
      "Read the input to EOF (or a bounded drain) before close(); to end early, shutdownOutput(), drain, then close().",
      Citation.kernel("net/ipv4/tcp.c", "__tcp_close"),
      Citation.rfc(2525, "2.17"),
      Citation.rfc(1122, "4.2.2.13")),
  ABORTIVE_CLOSE(
      RuleText.ABORTIVE_CLOSE,
      WARNING,
      RuleText.ABORTIVE_CLOSE_SUMMARY,
      "Leave SO_LINGER off; reset deliberately only for a peer you have decided to drop.",
      Citation.kernel("net/ipv4/tcp.c", "tcp_disconnect"),
      Citation.rfc(9293, "3.6")),
  SEND_DATA_DISCARDED(
      RuleText.SEND_DATA_DISCARDED,
      ERROR,
      RuleText.SEND_DATA_DISCARDED_SUMMARY,
      "Let the peer acknowledge what you wrote: shutdownOutput(), read to EOF, then close().",
      Citation.kernel("net/ipv4/tcp.c", "tcp_write_queue_purge"),
      Citation.rfc(9293, "3.10.4")),
  LISTENER_CLOSED_WITH_PENDING_CONNECTIONS(
      RuleText.LISTENER_CLOSED_WITH_PENDING_CONNECTIONS,
      WARNING,
      RuleText.LISTENER_CLOSED_WITH_PENDING_CONNECTIONS_SUMMARY,
      "Stop accepting new work, accept and serve (or politely close) what is queued, then close the listener.",
      Citation.kernel("net/ipv4/inet_connection_sock.c", "inet_csk_listen_stop"),
      Citation.kernel("net/ipv4/tcp.c", "tcp_disconnect")),
  RESET_ON_DATA_AFTER_SHUTDOWN(
      RuleText.RESET_ON_DATA_AFTER_SHUTDOWN,
      WARNING,
      RuleText.RESET_ON_DATA_AFTER_SHUTDOWN_SUMMARY,
      "Shut only the output; keep reading until the peer's EOF, then close().",
      Citation.kernel("net/ipv4/tcp_input.c", "tcp_rcv_state_process"),
      Citation.rfc(1122, "4.2.2.13")),
  SHUTDOWN_INPUT_HIDES_DATA(
      RuleText.SHUTDOWN_INPUT_HIDES_DATA,
      WARNING,
      RuleText.SHUTDOWN_INPUT_HIDES_DATA_SUMMARY,
      "Do not use shutdownInput() to ignore the rest; read and discard to EOF (bounded), then close().",
      Citation.jdk("sun.nio.ch.NioSocketImpl", "shutdownInput / read"),
      Citation.kernel("net/ipv4/tcp.c", "tcp_shutdown")),
  BLOCKING_LINGER_CLOSE(
      RuleText.BLOCKING_LINGER_CLOSE,
      WARNING,
      RuleText.BLOCKING_LINGER_CLOSE_SUMMARY,
      "Leave SO_LINGER off; to know the peer got everything, shutdownOutput() and read to EOF.",
      Citation.kernel("net/core/stream.c", "sk_stream_wait_close"),
      Citation.kernel("net/ipv4/af_inet.c", "inet_release")),
  CLOSE_DEFERRED_BY_SELECTOR(
      RuleText.CLOSE_DEFERRED_BY_SELECTOR,
      WARNING,
      RuleText.CLOSE_DEFERRED_BY_SELECTOR_SUMMARY,
      "Keep the selector loop running after close() so that the socket is released.",
      Citation.jdk("sun.nio.ch.SocketChannelImpl", "implCloseNonBlockingMode / kill")),
  SERVER_SIDE_TIME_WAIT(
      RuleText.SERVER_SIDE_TIME_WAIT,
      WARNING,
      RuleText.SERVER_SIDE_TIME_WAIT_SUMMARY,
      "Let the client close first (HTTP keep-alive semantics, Connection: close read by the client), or reuse connections.",
      Citation.kernel("net/ipv4/tcp_minisocks.c", "tcp_time_wait"),
      Citation.rfc(9293, "3.6.1")),
  TLS_CLOSE_DISCARDS_DATA(
      RuleText.TLS_CLOSE_DISCARDS_DATA,
      ERROR,
      RuleText.TLS_CLOSE_DISCARDS_DATA_SUMMARY,
      "Read the TLS input to EOF (the peer's close_notify), or to the end of the message the protocol frames,"
          + " before close(); to refuse a request early, answer it so that the peer stops sending, then drain and close.",
      Citation.jdk("sun.security.ssl.SSLSocketImpl", "close / duplexCloseOutput / bruteForceCloseInput / closeSocket"),
      Citation.jdk("sun.security.ssl.SSLSocketImpl$AppInputStream", "deplete"),
      Citation.jdk("sun.security.ssl.SSLSocketInputRecord", "deplete"),
      Citation.rfc(8446, "6.1"));

  private final String id;
  private final Severity severity;
  private final String summary;
  private final String remedy;
  private final List<Citation> citations;

  Rule(String id, Severity severity, String summary, String remedy, Citation... citations) {
    this.id = id;
    this.severity = severity;
    this.summary = summary;
    this.remedy = remedy;
    this.citations = List.of(citations);
  }

  public String id() {
    return id;
  }

  public Severity severity() {
    return severity;
  }

  public String summary() {
    return summary;
  }

  public String remedy() {
    return remedy;
  }

  public List<Citation> citations() {
    return citations;
  }
}
