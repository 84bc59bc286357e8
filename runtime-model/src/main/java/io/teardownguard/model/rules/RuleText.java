package io.teardownguard.model.rules;

/**
 * Rule ids and one-sentence summaries as compile-time constants, so that Error Prone's
 * {@code @BugPattern} annotations can use them; {@link Rule} is the one row per rule that the
 * rest of the model uses.
 */
public final class RuleText {
  public static final String CLOSE_WITH_UNREAD_DATA = "CLOSE_WITH_UNREAD_DATA";
  public static final String CLOSE_WITH_UNREAD_DATA_SUMMARY =
      "Closing a socket with unread received data resets the connection instead of closing it";

  public static final String ABORTIVE_CLOSE = "ABORTIVE_CLOSE";
  public static final String ABORTIVE_CLOSE_SUMMARY =
      "SO_LINGER 0 makes close() abort the connection with RST";

  public static final String SEND_DATA_DISCARDED = "SEND_DATA_DISCARDED";
  public static final String SEND_DATA_DISCARDED_SUMMARY =
      "A resetting close discards written bytes the peer has not received";

  public static final String LISTENER_CLOSED_WITH_PENDING_CONNECTIONS =
      "LISTENER_CLOSED_WITH_PENDING_CONNECTIONS";
  public static final String LISTENER_CLOSED_WITH_PENDING_CONNECTIONS_SUMMARY =
      "Closing a listener resets every connection still waiting in its accept queue";

  public static final String RESET_ON_DATA_AFTER_SHUTDOWN = "RESET_ON_DATA_AFTER_SHUTDOWN";
  public static final String RESET_ON_DATA_AFTER_SHUTDOWN_SUMMARY =
      "After shutting both directions, data the peer still sends is answered with RST";

  public static final String SHUTDOWN_INPUT_HIDES_DATA = "SHUTDOWN_INPUT_HIDES_DATA";
  public static final String SHUTDOWN_INPUT_HIDES_DATA_SUMMARY =
      "shutdownInput() makes Java reads return EOF while the kernel keeps queueing the peer's data";

  public static final String BLOCKING_LINGER_CLOSE = "BLOCKING_LINGER_CLOSE";
  public static final String BLOCKING_LINGER_CLOSE_SUMMARY =
      "A positive SO_LINGER makes close() block until the peer acknowledges, without a reset on timeout";

  public static final String CLOSE_DEFERRED_BY_SELECTOR = "CLOSE_DEFERRED_BY_SELECTOR";
  public static final String CLOSE_DEFERRED_BY_SELECTOR_SUMMARY =
      "A channel registered with a Selector was closed, but no select released its socket";

  public static final String SERVER_SIDE_TIME_WAIT = "SERVER_SIDE_TIME_WAIT";
  public static final String SERVER_SIDE_TIME_WAIT_SUMMARY =
      "This process closes first and keeps the TIME_WAIT entries of many connections";

  public static final String TLS_CLOSE_DISCARDS_DATA = "TLS_CLOSE_DISCARDS_DATA";
  public static final String TLS_CLOSE_DISCARDS_DATA_SUMMARY =
      "SSLSocket.close() reads and throws away application data the peer sent, and the peer is not told";

  private RuleText() {}
}
