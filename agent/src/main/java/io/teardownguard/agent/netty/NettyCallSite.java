package io.teardownguard.agent.netty;

import io.teardownguard.agent.observation.CallSite;
import io.teardownguard.agent.observation.CallSiteSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a teardown of a Netty native socket was decided: the first frame outside the JDK, the
 * agent and Netty (the application's handler that called {@code close()}, or the library on
 * Netty that did). When Netty closed on its own (ChannelFutureListener.CLOSE after an
 * asynchronous write, an idle handler, an event loop shutting down), the first Netty frame that
 * is not its close machinery (the transport, the pipeline, the channel's unsafe, promises and
 * executors), e.g. {@code ChannelFutureListener$1.operationComplete}; failing that, the first Netty
 * frame above the unix socket classes. Walked on the calling thread when first asked for.
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
        String decider = null;
        var iterator = frames.iterator();
        while (iterator.hasNext()) {
          StackWalker.StackFrame frame = iterator.next();
          String type = frame.getClassName();
          if (!application.isEmpty()) {
            if (application.size() >= depth) {
              break;
            }
            application.add(frame.toStackTraceElement().toString());
          } else if (isInternal(type) || isSocketClass(type)) {
            continue; // the hook, the agent, and the socket classes that only carry out the close
          } else if (type.startsWith("io.netty.")) {
            if (netty.size() < depth) {
              netty.add(frame.toStackTraceElement().toString());
            }
            if (decider == null && !isCloseMachinery(type)) {
              decider = frame.toStackTraceElement().toString();
            }
          } else {
            application.add(frame.toStackTraceElement().toString());
          }
        }
        if (!application.isEmpty()) {
          return new CallSite(api, application.get(0), List.copyOf(application));
        }
        String site = decider != null ? decider : netty.isEmpty() ? "unknown" : netty.get(0);
        return new CallSite(api, site, List.copyOf(netty));
      });
    }
    return full;
  }

  /** io.netty.channel.unix's FileDescriptor and Socket, and the transports' LinuxSocket subclasses. */
  private static boolean isSocketClass(String type) {
    return type.startsWith("io.netty.channel.unix.") || type.endsWith(".LinuxSocket");
  }

  /** Netty's code that carries a close out, whoever asked for it. */
  private static boolean isCloseMachinery(String type) {
    return type.startsWith("io.netty.channel.epoll.") || type.startsWith("io.netty.channel.uring.")
        || type.startsWith("io.netty.channel.kqueue.") || type.startsWith("io.netty.util.")
        || type.startsWith("io.netty.channel.Abstract") || type.startsWith("io.netty.channel.Default")
        || type.startsWith("io.netty.channel.SingleThread") || type.startsWith("io.netty.channel.ChannelOutboundBuffer");
  }

  private static boolean isInternal(String type) {
    return type.startsWith("io.teardownguard.agent.") || type.startsWith("java.") || type.startsWith("javax.")
        || type.startsWith("sun.") || type.startsWith("jdk.") || type.startsWith("com.sun.");
  }
}
