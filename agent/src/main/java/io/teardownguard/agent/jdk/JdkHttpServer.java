package io.teardownguard.agent.jdk;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads, without locks, which {@code HttpHandler} the JDK's HttpServer ({@code jdk.httpserver},
 * {@code sun.net.httpserver}, the same fields in JDK 17 and 25) ran on a connection it is closing:
 * {@code HttpConnection.context} (set by {@code ServerImpl.Exchange.run()} before the handler runs,
 * kept afterwards), its {@code HttpContextImpl.handler} and {@code path}, and
 * {@code HttpConnection.chan}, the SocketChannel whose close the agent then reports; and whether a
 * request body was left unread ({@code LeftOverInputStream.eof} after its {@code close()}, which
 * drains at most {@code sun.net.httpserver.drainAmount}), and on which connection
 * ({@code LeftOverInputStream.t}, {@code ExchangeImpl.connection}).
 */
public final class JdkHttpServer {
  private static final String MODULE = "jdk.httpserver";
  private static final String PACKAGE = "sun.net.httpserver";

  private final VarHandle connectionContext;
  private final VarHandle connectionChannel;
  private final VarHandle contextHandler;
  private final VarHandle contextPath;
  private final VarHandle bodyEof;
  private final VarHandle bodyExchange;
  private final VarHandle exchangeConnection;

  private JdkHttpServer(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> connection = Class.forName(PACKAGE + ".HttpConnection", false, loader);
    Class<?> context = Class.forName(PACKAGE + ".HttpContextImpl", false, loader);
    Class<?> body = Class.forName(PACKAGE + ".LeftOverInputStream", false, loader);
    Class<?> exchange = Class.forName(PACKAGE + ".ExchangeImpl", false, loader);
    connectionContext = field(connection, "context");
    connectionChannel = field(connection, "chan");
    contextHandler = field(context, "handler");
    contextPath = field(context, "path");
    bodyEof = field(body, "eof");
    bodyExchange = field(body, "t");
    exchangeConnection = field(exchange, "connection");
  }

  /** A VarHandle on the field of that name, of the type the JDK declares (some are types of this module). */
  private static VarHandle field(Class<?> owner, String name) throws ReflectiveOperationException {
    return MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
        .findVarHandle(owner, name, owner.getDeclaredField(name).getType());
  }

  /**
   * Lets {@code sun.net.httpserver} call the hook class in {@code sun.nio.ch} (java.base exports
   * it to no such module) and opens it to the agent for the reads. Loads no class of it; nothing
   * when the JDK has no jdk.httpserver module.
   */
  public static void openPackages(Instrumentation instrumentation) {
    Optional<Module> httpServer = ModuleLayer.boot().findModule(MODULE);
    if (httpServer.isEmpty()) {
      return;
    }
    Module agent = JdkHttpServer.class.getModule();
    instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of("sun.nio.ch", Set.of(httpServer.get())),
        Map.of(), Set.of(), Map.of());
    instrumentation.redefineModule(httpServer.get(), Set.of(), Map.of(), Map.of(PACKAGE, Set.of(agent)), Set.of(),
        Map.of());
  }

  /** The handles, from the loader of a {@code sun.net.httpserver} object a hook was given. */
  public static JdkHttpServer of(Object fromTheModule) throws ReflectiveOperationException {
    return new JdkHttpServer(fromTheModule.getClass().getClassLoader());
  }

  /** The connection's SocketChannel. */
  public Object channel(Object connection) {
    return connectionChannel.get(connection);
  }

  /** The handler of the context the connection's last exchange was dispatched to, or null. */
  public Object handler(Object connection) {
    Object context = connectionContext.get(connection);
    return context == null ? null : contextHandler.get(context);
  }

  /**
   * Whether a request body stream ({@code LeftOverInputStream}) that {@code close()} has just
   * drained still had bytes coming: its drain stopped at {@code drainAmount} before end of stream.
   */
  public boolean bodyLeftUnread(Object body) {
    return !(boolean) bodyEof.get(body);
  }

  /** The connection of a request body stream's exchange, or null. */
  public Object connectionOf(Object body) {
    Object exchange = bodyExchange.get(body);
    return exchange == null ? null : exchangeConnection.get(exchange);
  }

  /** That context's path, or null. */
  public String contextPath(Object connection) {
    Object context = connectionContext.get(connection);
    return context == null ? null : (String) contextPath.get(context);
  }
}
