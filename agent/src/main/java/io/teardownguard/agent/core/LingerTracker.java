package io.teardownguard.agent.core;

import io.teardownguard.model.Linger;
import java.net.SocketOptions;
import java.net.StandardSocketOptions;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What the application set SO_LINGER to. Two uses: while nobody has set it, every socket has it
 * off and the probe skips the getsockopt; and a probe that cannot read it (/proc) or no probe at
 * all (Java-level state only) takes the value from here. Weak keys: no socket is kept alive.
 */
final class LingerTracker {
  private static final int MAX_TRACKED = 65_536;

  private final Map<Object, Integer> lingerBySocket = Collections.synchronizedMap(new WeakHashMap<>());
  private volatile boolean everSet;

  /**
   * Records setOption(name, value) if it is SO_LINGER ({@code name} is an int id or a
   * SocketOption); returns whether it was.
   */
  boolean optionSet(Object socket, Object name, Object value) {
    if (!isLinger(name)) {
      return false;
    }
    everSet = true;
    if (lingerBySocket.size() < MAX_TRACKED) {
      lingerBySocket.put(socket, seconds(value));
    }
    return true;
  }

  boolean everSet() {
    return everSet;
  }

  int lingerOf(Object socket) {
    if (!everSet) {
      return Linger.OFF;
    }
    Integer seconds = lingerBySocket.get(socket);
    return seconds == null ? Linger.OFF : seconds;
  }

  private static boolean isLinger(Object name) {
    return name == StandardSocketOptions.SO_LINGER
        || (name instanceof Integer id && id == SocketOptions.SO_LINGER);
  }

  /** NioSocketImpl passes Boolean.FALSE for off; negative means off; the JDK caps at 65535. */
  private static int seconds(Object value) {
    if (value instanceof Integer seconds) {
      return seconds < 0 ? Linger.OFF : Math.min(seconds, 65_535);
    }
    return Linger.OFF;
  }
}
