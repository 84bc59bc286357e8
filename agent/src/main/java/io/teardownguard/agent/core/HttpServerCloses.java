package io.teardownguard.agent.core;

import io.teardownguard.agent.jdk.JdkHttpServer;
import io.teardownguard.agent.observation.CallSite;
import io.teardownguard.agent.observation.CallSiteSource;
import io.teardownguard.agent.observation.TeardownRecord;
import io.teardownguard.model.Finding;
import io.teardownguard.model.rules.Rule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Names the application's {@code HttpHandler} when the JDK's HttpServer closes a connection with
 * the request body unread. The handler ended its exchange (closed it or its response, or sent a
 * response without a body) without reading the body; {@code LeftOverInputStream.close()} drained
 * at most {@code sun.net.httpserver.drainAmount} (64 KiB) on the handler's thread, and the server's dispatcher thread then closed the connection
 * itself ({@code ServerImpl.Dispatcher.handleEvent()} -> {@code HttpConnection.close()}), with no
 * application frame on the stack.
 *
 * <p>Two hooks: after {@code LeftOverInputStream.close()}, a body left unread has the handler's
 * frame on the stack, which is walked then (only then) and kept by connection; at
 * {@code HttpConnection.close()}'s entry, on the dispatcher's thread, the connection's channel,
 * handler and that frame are remembered for the channel's close that follows on the same thread,
 * which is then reported at the handler's line (or, if it was not seen, at its class), with the
 * JDK's frames as its stack and a message that says to read or drain the body there. Until an
 * HttpServer closes a connection, the socket path pays one volatile read here.
 */
final class HttpServerCloses {
  private static final String LAMBDA = "$$Lambda";
  /** Connections whose body a handler left unread, until the server closes them; weak, bounded. */
  private static final int MAX_UNREAD = 4096;

  /** A connection the server is closing on this thread; {@code frame} is null when not seen. */
  private record Closing(Object channel, String handler, String path, String frame) {}

  private final ThreadLocal<Closing> closing = new ThreadLocal<>();
  private final Map<Object, String> unreadAt = Collections.synchronizedMap(new WeakHashMap<>());
  private volatile boolean everClosed;
  private volatile JdkHttpServer jdk;

  /** {@code LeftOverInputStream.close()} returned: if the body was left unread, where the handler was. */
  void bodyClosed(Object body) throws ReflectiveOperationException {
    JdkHttpServer handles = handles(body);
    if (!handles.bodyLeftUnread(body)) {
      return;
    }
    Object connection = handles.connectionOf(body);
    String frame = Walker.WALKER.walk(frames -> frames.filter(f -> isApplication(f.getDeclaringClass())).findFirst()
        .map(f -> f.toStackTraceElement().toString()).orElse(null));
    if (connection != null && frame != null && unreadAt.size() < MAX_UNREAD) {
      unreadAt.put(connection, frame);
    }
  }

  /** {@code HttpConnection.close()} is about to run on this thread. */
  void closing(Object connection) throws ReflectiveOperationException {
    JdkHttpServer handles = handles(connection);
    Object handler = handles.handler(connection);
    // A stale entry (a connection already closed, so no channel close followed) is replaced here,
    // and never matches another channel: one per thread at most.
    closing.set(new Closing(handles.channel(connection), handler == null ? null : className(handler),
        handles.contextPath(connection), unreadAt.remove(connection)));
    everClosed = true;
  }

  /**
   * {@code record} as it is, or, when it is the close of the channel the HttpServer is closing on
   * this thread and it lost unread bytes, at the handler that left them, with the advice.
   */
  TeardownRecord attribute(Object channel, TeardownRecord record) {
    if (!everClosed) {
      return record;
    }
    Closing server = closing.get();
    if (server == null || server.channel() != channel) {
      return record;
    }
    closing.remove();
    if (server.handler() == null || record.outcome().findings().stream()
        .noneMatch(f -> f.rule() == Rule.CLOSE_WITH_UNREAD_DATA)) {
      return record;
    }
    String at = server.frame() == null ? "" : " at " + server.frame();
    List<Finding> findings = new ArrayList<>();
    for (Finding finding : record.outcome().findings()) {
      findings.add(finding.rule() != Rule.CLOSE_WITH_UNREAD_DATA ? finding : new Finding(finding.rule(),
          finding.message() + "; the JDK's HttpServer closed the connection because the HttpHandler "
              + server.handler() + " (context " + server.path() + ") ended its exchange" + at
              + " with the request body unread: read or drain the request body (exchange.getRequestBody())"
              + " in that handler first; the server itself drains at most 64 KiB (sun.net.httpserver.drainAmount)"));
    }
    String site = server.frame() != null ? server.frame()
        : server.handler() + ".handle(HttpHandler for " + server.path() + ")";
    return new TeardownRecord(record.call(), record.snapshot(), record.kernel(), record.outcome().withFindings(findings),
        record.local(), record.remote(), record.time(), record.thread(), new HandlerSite(site, record.callSite()),
        record.serverSide(), record.decidedAt());
  }

  private JdkHttpServer handles(Object fromTheModule) throws ReflectiveOperationException {
    JdkHttpServer made = jdk;
    if (made == null) {
      made = JdkHttpServer.of(fromTheModule); // a racing twin makes equal handles
      jdk = made;
    }
    return made;
  }

  /** Neither the JDK (boot and platform loaders) nor the agent: the application's code. */
  private static boolean isApplication(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    return loader != null && loader != ClassLoader.getPlatformClassLoader()
        && !type.getName().startsWith("io.teardownguard.agent.");
  }

  /** The handler's class; a lambda's without its hidden-class suffix ({@code Outer$$Lambda/0x...}). */
  private static String className(Object handler) {
    String name = handler.getClass().getName();
    int lambda = name.indexOf(LAMBDA);
    return lambda < 0 ? name : name.substring(0, lambda + LAMBDA.length());
  }

  /** The handler as the site; the API and the stack (the JDK's closing frames) as walked. */
  private record HandlerSite(String handler, CallSiteSource walked) implements CallSiteSource {
    @Override
    public CallSite get() {
      CallSite jdk = walked.get();
      return new CallSite(jdk.api(), handler, jdk.stack());
    }

    @Override
    public CallSite site() {
      return new CallSite(walked.site().api(), handler, List.of());
    }
  }

  /**
   * Made at the first body a handler leaves unread, not when the dispatcher makes this class at
   * start-up: StackWalker's class set-up is not in the JDK's shared archive (issue 14).
   */
  private static final class Walker {
    static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private Walker() {}
  }
}
