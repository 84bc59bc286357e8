package io.teardownguard.errorprone.bugpatterns;

import static com.google.errorprone.BugPattern.LinkType.CUSTOM;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.auto.service.AutoService;
import com.google.errorprone.BugPattern;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import io.teardownguard.errorprone.matchers.SocketFlow;
import io.teardownguard.model.rules.RuleText;
import javax.inject.Inject;

/**
 * Flags the close of an {@code SSLSocket} after a read that stopped before end of stream: the
 * shape {@link CloseWithUnreadData} flags on a plain socket, with another outcome. The JDK's TLS
 * close reads what the peer sent and throws it away before the socket beneath closes
 * ({@code SSLSocketImpl.closeSocket()} and {@code SSLSocketInputRecord.deplete()}, "to avoid TCP
 * connection resets"), so no RST follows: the peer reads the close_notify and an orderly end, and
 * is never told that its data was dropped (docs/semantics.md, section 10).
 *
 * <p>A connection is TLS here when its variable's declared type is {@code SSLSocket} (or a
 * subtype); a {@code Socket} that holds one at run time stays with {@link CloseWithUnreadData},
 * whose remedy (drain before the close) is the same.
 */
@AutoService(BugChecker.class)
@BugPattern(
    summary = RuleText.TLS_CLOSE_DISCARDS_DATA_SUMMARY,
    severity = WARNING,
    link = CheckDocs.BASE + "TlsCloseDiscardsData.md",
    linkType = CUSTOM)
public final class TlsCloseDiscardsData extends DocumentedCheck implements MethodTreeMatcher {
  private static final long serialVersionUID = 1L;

  private static final Supplier<Type> SSL_SOCKET =
      Suppliers.typeFromString("javax.net.ssl.SSLSocket");

  /** Instantiates a new {@link TlsCloseDiscardsData} instance, linking to the project's page. */
  public TlsCloseDiscardsData() {
    this(ErrorProneFlags.empty());
  }

  /**
   * Instantiates a new {@link TlsCloseDiscardsData} instance.
   *
   * @param flags Error Prone's flags; {@code -XepOpt:TeardownGuard:DocsBase} sets where the link
   *     in a diagnostic points
   */
  @Inject
  TlsCloseDiscardsData(ErrorProneFlags flags) {
    super(flags);
  }

  @Override
  public Description matchMethod(MethodTree tree, VisitorState state) {
    SocketFlow flow = SocketFlow.of(state.getPath(), state);
    for (Symbol connection : flow.connections()) {
      if (!isSslSocket(connection, state)) {
        continue;
      }
      SocketFlow.Reached reached = CloseWithUnreadData.unreadAtClose(flow, connection, state);
      if (reached != null) {
        state.reportMatch(buildDescription(reached.later().tree())
            .setMessage(String.format(
                "`%s` is an SSLSocket closed after a read that stops before end of stream: its"
                    + " close() reads whatever the peer sent beyond it and throws it away, with no"
                    + " RST, so the peer believes it was delivered. Read to the end of what the"
                    + " peer sends (bounded) before close(), or tell the peer in the protocol that"
                    + " the rest is refused.",
                connection.getSimpleName()))
            .build());
      }
    }
    return Description.NO_MATCH;
  }

  /** True if {@code connection}'s declared type is {@code SSLSocket} or a subtype of it. */
  static boolean isSslSocket(Symbol connection, VisitorState state) {
    Type type = connection.asType();
    Type sslSocket = SSL_SOCKET.get(state);
    return type != null && sslSocket != null && ASTHelpers.isSubtype(type, sslSocket, state);
  }
}
