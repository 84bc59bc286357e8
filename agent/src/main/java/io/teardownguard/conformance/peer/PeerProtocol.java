package io.teardownguard.conformance.peer;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link Peer} call as one line each way: {@code method TAB arg...}, answered by {@code = TAB
 * value} (nothing after {@code =} for a void method) or {@code ! TAB message} when it threw. Arguments
 * and results are ints and strings only, which is all {@link Peer} uses.
 */
final class PeerProtocol {
  static final char SEPARATOR = '\t';
  private static final Map<String, Method> METHODS = new HashMap<>();

  static {
    for (Method method : Peer.class.getMethods()) {
      // Keyed by name and arity: close(int) closes one socket, close() ends the peer.
      METHODS.put(method.getName() + "/" + method.getParameterCount(), method);
    }
  }

  private PeerProtocol() {}

  static String request(Method method, Object[] args) {
    StringBuilder line = new StringBuilder(method.getName());
    for (Object arg : args == null ? new Object[0] : args) {
      String text = String.valueOf(arg);
      if (text.indexOf(SEPARATOR) >= 0 || text.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("argument with a tab or newline: " + text);
      }
      line.append(SEPARATOR).append(text);
    }
    return line.toString();
  }

  /** Carries out one request line on {@code peer}; returns the answer line. */
  static String serve(Peer peer, String line) {
    String[] words = line.split(String.valueOf(SEPARATOR), -1);
    Method method = METHODS.get(words[0] + "/" + (words.length - 1));
    if (method == null) {
      return "!" + SEPARATOR + "unknown peer call: " + line;
    }
    Class<?>[] types = method.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      args[i] = types[i] == int.class ? (Object) Integer.parseInt(words[i + 1]) : words[i + 1];
    }
    try {
      Object result = method.invoke(peer, args);
      return result == null ? "=" : "=" + SEPARATOR + oneLine(String.valueOf(result));
    } catch (InvocationTargetException e) {
      return "!" + SEPARATOR + oneLine(String.valueOf(e.getCause()));
    } catch (IllegalAccessException e) {
      return "!" + SEPARATOR + oneLine(e.toString());
    }
  }

  /** The result an answer line carries for {@code method}; an IOException when the call threw. */
  static Object result(Method method, String answer) throws IOException {
    if (answer == null) {
      throw new IOException("the peer process ended");
    }
    String[] parts = answer.split(String.valueOf(SEPARATOR), 2);
    if (parts[0].equals("!")) {
      throw new IOException("peer: " + (parts.length > 1 ? parts[1] : ""));
    }
    if (!parts[0].equals("=")) {
      throw new IOException("peer answered " + answer + " to " + method.getName());
    }
    if (method.getReturnType() == void.class) {
      return null;
    }
    return method.getReturnType() == int.class ? (Object) Integer.parseInt(parts[1]) : parts[1];
  }

  private static String oneLine(String text) {
    return text.replace('\n', ' ').replace(SEPARATOR, ' ');
  }
}
