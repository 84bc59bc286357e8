package io.teardownguard.agent.observation;

import io.teardownguard.model.JavaApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Where the application made a teardown call: its first frame outside the JDK and the agent
 * (the site), the public API it went through (the outermost JDK frame before it), and a bounded
 * stack. Walked lazily with StackWalker, only when something is reported: {@link #site} walks
 * only to the site (a repeated finding needs no more), {@link #capture} the whole bounded stack
 * (the first report of a rule at a site).
 *
 * @param api the class the application used, e.g. {@code java.net.Socket}
 * @param site {@code class.method(File:line)}, or "unknown"
 * @param stack frames from the site outwards, at most the requested depth
 */
public record CallSite(String api, String site, List<String> stack) {
  /** The TLS layer's API (no {@link JavaApi} of its own: the model has no TLS rows yet). */
  public static final String SSL_SOCKET = "javax.net.ssl.SSLSocket";
  private static final String INPUT = ".getInputStream()";
  private static final String OUTPUT = ".getOutputStream()";
  /** The JDK entry points the application calls, by declaring class, and the API each means. */
  private static final Map<String, String> API_BY_JDK_CLASS = Map.ofEntries(
      Map.entry("java.net.Socket", JavaApi.SOCKET.reportName()),
      Map.entry("java.net.Socket$SocketInputStream", JavaApi.SOCKET.reportName() + INPUT),
      Map.entry("java.net.Socket$SocketOutputStream", JavaApi.SOCKET.reportName() + OUTPUT),
      Map.entry("java.net.ServerSocket", JavaApi.SERVER_SOCKET.reportName()),
      Map.entry("sun.nio.ch.SocketAdaptor", JavaApi.SOCKET_ADAPTOR.reportName()),
      Map.entry("sun.nio.ch.ServerSocketAdaptor", JavaApi.SERVER_SOCKET_ADAPTOR.reportName()),
      Map.entry("sun.nio.ch.SocketInputStream", JavaApi.SOCKET_ADAPTOR.reportName() + INPUT),
      Map.entry("sun.nio.ch.SocketOutputStream", JavaApi.SOCKET_ADAPTOR.reportName() + OUTPUT),
      Map.entry("sun.security.ssl.SSLSocketImpl", SSL_SOCKET),
      Map.entry("sun.security.ssl.SSLSocketImpl$AppInputStream", SSL_SOCKET + INPUT),
      Map.entry("sun.security.ssl.SSLSocketImpl$AppOutputStream", SSL_SOCKET + OUTPUT));

  /**
   * Site names by frame (class, method, bytecode index): building a StackTraceElement resolves
   * the method and its line table, the dearest part of a walk; a site that fires again reuses its
   * name. Bounded: once full, names are built each time.
   */
  private static final int MAX_NAMES = 4096;

  private static final Map<FrameKey, String> NAMES = new ConcurrentHashMap<>();

  /**
   * Equality written out, not the record's generated one: its invokedynamic runs as interpreted
   * method-handle code in a rarely taken path (the sampled {@code SERVER_SIDE_TIME_WAIT} walks a
   * site once per 1,024 closes and never gets compiled), as {@code SocketSnapshot}'s did.
   */
  private record FrameKey(String type, String method, int bytecodeIndex) {
    @Override
    public boolean equals(Object other) {
      return other instanceof FrameKey key && bytecodeIndex == key.bytecodeIndex && type.equals(key.type)
          && method.equals(key.method);
    }

    @Override
    public int hashCode() {
      return (type.hashCode() * 31 + method.hashCode()) * 31 + bytecodeIndex;
    }
  }

  /**
   * The API and the site alone, with no stack: the walk stops at the first frame outside the JDK
   * and the agent (or, when the JDK closed on its own, at the JDK frame that made the call).
   *
   * @param fallbackApi as for {@link #capture}
   */
  static CallSite site(String fallbackApi) {
    return StackWalker.getInstance().walk(frames -> siteFromFrames(frames, fallbackApi));
  }

  private static CallSite siteFromFrames(Stream<StackWalker.StackFrame> frames, String fallbackApi) {
    String api = null;
    StackWalker.StackFrame jdkCaller = null;
    var iterator = frames.iterator();
    while (iterator.hasNext()) {
      StackWalker.StackFrame frame = iterator.next();
      String type = frame.getClassName();
      if (!isInternal(type)) {
        return new CallSite(api != null ? api : fallbackApi, nameOf(frame), List.of());
      }
      api = API_BY_JDK_CLASS.getOrDefault(type, api);
      if (jdkCaller == null && !isSocketImplementation(type)) {
        jdkCaller = frame;
      }
    }
    return new CallSite(api != null ? api : fallbackApi, jdkCaller == null ? "unknown" : nameOf(jdkCaller),
        List.of());
  }

  private static String nameOf(StackWalker.StackFrame frame) {
    FrameKey key = new FrameKey(frame.getClassName(), frame.getMethodName(), frame.getByteCodeIndex());
    String known = NAMES.get(key);
    if (known != null) {
      return known;
    }
    String name = frame.toStackTraceElement().toString();
    if (NAMES.size() < MAX_NAMES) {
      NAMES.putIfAbsent(key, name);
    }
    return name;
  }

  /**
   * @param fallbackApi the API to name when no known entry point is on the stack (for channels:
   *     SocketChannel or ServerSocketChannel)
   */
  static CallSite capture(String fallbackApi, int depth) {
    return StackWalker.getInstance().walk(frames -> fromFrames(frames, fallbackApi, depth));
  }

  private static CallSite fromFrames(Stream<StackWalker.StackFrame> frames, String fallbackApi, int depth) {
    String api = null;
    List<String> stack = new ArrayList<>();
    // The JDK's own frames before any application frame, kept in case none comes.
    List<String> jdkStack = new ArrayList<>();
    var iterator = frames.iterator();
    while (iterator.hasNext() && stack.size() < depth) {
      StackWalker.StackFrame frame = iterator.next();
      String type = frame.getClassName();
      if (stack.isEmpty() && isInternal(type)) {
        // Before the site: remember the outermost public entry point the call came through.
        api = API_BY_JDK_CLASS.getOrDefault(type, api);
        if (!jdkStack.isEmpty() || !isSocketImplementation(type)) {
          jdkStack.add(frame.toStackTraceElement().toString());
        }
        continue;
      }
      stack.add(frame.toStackTraceElement().toString());
    }
    if (stack.isEmpty() && !jdkStack.isEmpty()) {
      // The JDK closed on its own (a server's dispatcher thread, a finalizing cleaner): name the
      // JDK frame that made the call, e.g. sun.net.httpserver.ServerImpl.closeConnection.
      stack = jdkStack.subList(0, Math.min(depth, jdkStack.size()));
    }
    String site = stack.isEmpty() ? "unknown" : stack.get(0);
    return new CallSite(api != null ? api : fallbackApi, site, List.copyOf(stack));
  }

  /**
   * The agent and the socket classes themselves (and the stream and channel classes whose close
   * ends in them): never the frame that decided to close.
   */
  private static boolean isSocketImplementation(String type) {
    return type.startsWith("io.teardownguard.agent.") || type.startsWith("java.net.")
        || type.startsWith("java.nio.") || type.startsWith("sun.nio.ch.") || type.startsWith("java.io.")
        || type.startsWith("sun.security.ssl.") || type.startsWith("javax.net.");
  }

  /** The agent, the JDK, and the bootstrap hook: never the application's call site. */
  private static boolean isInternal(String type) {
    return type.startsWith("io.teardownguard.agent.") || type.startsWith("java.") || type.startsWith("javax.")
        || type.startsWith("sun.") || type.startsWith("jdk.") || type.startsWith("com.sun.");
  }
}
