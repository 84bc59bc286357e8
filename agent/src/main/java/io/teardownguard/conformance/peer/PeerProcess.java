package io.teardownguard.conformance.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Peer} in a child JVM ({@link PeerMain}), reached over its stdin and stdout. Java cannot
 * move one of its threads into another network namespace (setns(2) applies to a thread, and the
 * JDK offers no way to call it), so the peer's sockets live in a process started there.
 */
public final class PeerProcess {
  private static final long EXIT_TIMEOUT_SECONDS = 5;

  private PeerProcess() {}

  /**
   * Starts {@code command} (which must run {@link PeerMain}) and returns the peer it serves, once
   * it said it is ready. Closing the peer ends the process.
   */
  public static Started start(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    PrintStream requests = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    String first = answers.readLine();
    if (!"ready".equals(first)) {
      process.destroyForcibly();
      throw new IOException("the peer process did not start (said " + first + ")");
    }
    Peer peer = (Peer) Proxy.newProxyInstance(Peer.class.getClassLoader(), new Class<?>[] {Peer.class},
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.invoke(process, args);
          }
          synchronized (process) {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
              requests.close();
              if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
              }
              return null;
            }
            requests.println(PeerProtocol.request(method, args));
            return PeerProtocol.result(method, answers.readLine());
          }
        });
    return new Started(peer, process.pid());
  }

  /** The peer, and the process id whose network namespace holds its sockets. */
  public record Started(Peer peer, long pid) {}
}
