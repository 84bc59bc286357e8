package io.teardownguard.agent.netty;

import io.teardownguard.agent.observation.CallSite;
import io.teardownguard.agent.observation.CallSiteSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a teardown of a Netty native socket was decided: the first frame outside the JDK, the
 * agent and Netty (the application's handler that called {@code close()}), or, when Netty closed
 * on its own (a listener closing after a write, an event loop shutting down, SO_LINGER's close on
 * the GlobalEventExecutor), the first Netty frame above the unix socket classes themselves, e.g.
 * {@code AbstractEpollChannel.doClose}. Walked on the calling thread when first asked for.
 */
public final class NettyCallSite implements CallSiteSource {
  private final String api;
  private final int depth;
  private CallSite full;

  public NettyCallSite(String api, int depth) {
    this.api = api;
    this.depth = depth;
  }

  @Override
  public CallSite get() {
    if (full == null) {
      full = StackWalker.getInstance().walk(frames -> {
        List<String> netty = new ArrayList<>();
        List<String> application = new ArrayList<>();
        var iterator = frames.iterator();
        while (iterator.hasNext()) {
          StackWalker.StackFrame frame = iterator.next();
          String type = frame.getClassName();
          if (!application.isEmpty()) {
            if (application.size() >= depth) {
              break;
            }
            application.add(frame.toStackTraceElement().toString());
          } else if (isInternal(type) || type.startsWith("io.netty.channel.unix.")) {
            continue; // the hook, the agent, and the socket classes that only carry out the close
          } else if (type.startsWith("io.netty.")) {
            if (netty.size() < depth) {
              netty.add(frame.toStackTraceElement().toString());
            }
          } else {
            application.add(frame.toStackTraceElement().toString());
          }
        }
        List<String> stack = application.isEmpty() ? netty : application;
        return new CallSite(api, stack.isEmpty() ? "unknown" : stack.get(0), List.copyOf(stack));
      });
    }
    return full;
  }

  private static boolean isInternal(String type) {
    return type.startsWith("io.teardownguard.agent.") || type.startsWith("java.") || type.startsWith("javax.")
        || type.startsWith("sun.") || type.startsWith("jdk.") || type.startsWith("com.sun.");
  }
}
