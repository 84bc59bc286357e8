package io.teardownguard.agent.config;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The environment variables the agent reads (its own, {@code TEARDOWN_GUARD_*}, and {@code
 * XDG_CACHE_HOME} for its cache), read once from the process's
 * environment block as the kernel keeps it ({@code /proc/self/environ}), where there is one;
 * elsewhere from {@link System#getenv}. The first {@code System.getenv} call sets up the JDK's
 * whole process environment (ProcessEnvironment with ProcessImpl, from the runtime image rather
 * than the shared archive): about 3 ms of CPU in the start-up of a JVM that never asks for it
 * otherwise (issue 14, docs/performance.md). The block is the one the program was started with,
 * which is what the JVM's own copy holds too, unless native code called setenv() before the JVM
 * was created (an application embedding it): such a variable is not seen here.
 */
public final class AgentEnvironment implements Function<String, String> {
  static final String PREFIX = "TEARDOWN_GUARD_";
  /** Where a user keeps caches (the XDG Base Directory Specification); {@code AgentCache} reads it. */
  public static final String XDG_CACHE_HOME = "XDG_CACHE_HOME";
  private static final String ENVIRON = "/proc/self/environ";

  /** The variables read, or null: ask System.getenv. */
  private final Map<String, String> variables;

  private AgentEnvironment(Map<String, String> variables) {
    this.variables = variables;
  }

  /** This process's, read at the first call. */
  public static AgentEnvironment ofProcess() {
    return OfProcess.ENVIRONMENT;
  }

  @Override
  public String apply(String name) {
    return variables == null ? System.getenv(name) : variables.get(name);
  }

  private static final class OfProcess {
    static final AgentEnvironment ENVIRONMENT = new AgentEnvironment(read(ENVIRON, PREFIX, XDG_CACHE_HOME));

    private OfProcess() {}
  }

  /**
   * The {@code NAME=value} entries of an environment block (NUL-separated, as execve(2) passes
   * them) whose name starts with {@code prefix} or is {@code name}, decoded as the JDK decodes the environment
   * ({@code sun.jnu.encoding}); null when the block cannot be read.
   */
  static Map<String, String> read(String file, String prefix, String name) {
    byte[] block;
    try (InputStream in = new FileInputStream(file)) {
      block = in.readAllBytes();
    } catch (IOException | SecurityException e) {
      return null;
    }
    Charset charset = jnuCharset();
    Map<String, String> variables = new HashMap<>();
    int start = 0;
    for (int end = 0; end <= block.length; end++) {
      if (end == block.length || block[end] == 0) {
        if (startsWith(block, start, end, prefix) || startsWith(block, start, end, name + "=")) {
          String entry = new String(block, start, end - start, charset);
          int equals = entry.indexOf('=');
          if (equals > 0) {
            variables.putIfAbsent(entry.substring(0, equals), entry.substring(equals + 1));
          }
        }
        start = end + 1;
      }
    }
    return variables;
  }

  /** Compares the ASCII prefix byte by byte: no string is made for another program's variables. */
  private static boolean startsWith(byte[] block, int start, int end, String prefix) {
    if (end - start < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (block[start + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static Charset jnuCharset() {
    String name = System.getProperty("sun.jnu.encoding");
    try {
      return name == null ? Charset.defaultCharset() : Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return Charset.defaultCharset();
    }
  }
}
