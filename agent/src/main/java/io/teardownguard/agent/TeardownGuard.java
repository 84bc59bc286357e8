package io.teardownguard.agent;

import io.teardownguard.agent.config.AgentEnvironment;
import io.teardownguard.agent.config.AgentOptions;
import io.teardownguard.agent.report.FindingEvent;
import io.teardownguard.agent.report.Totals;
import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * Installs Teardown Guard into the running JVM, from {@code -javaagent}, a dynamic attach, or
 * code (tests): {@code TeardownGuard.install("report=/tmp/tg.jsonl")}. Installing twice is a
 * no-op. Nothing here throws into the application: a failure is one line on stderr.
 */
public final class TeardownGuard {
  private static Installation installation;
  /** The options the running installation was started with. */
  private static String installedWith;

  private TeardownGuard() {}

  /** Installs with options from the environment only. */
  public static synchronized boolean install() {
    return install(null);
  }

  /**
   * Installs in this JVM (self-attach through Byte Buddy's agent loader) unless already installed.
   *
   * @param options {@code key=value,...} as for {@code -javaagent}
   * @return whether the agent is active
   */
  public static synchronized boolean install(String options) {
    if (installation != null) {
      return alreadyInstalled(options);
    }
    Instrumentation instrumentation;
    try {
      instrumentation = ByteBuddyAgent.install();
    } catch (RuntimeException e) {
      System.err.println("teardown-guard: cannot attach to this JVM (" + e.getMessage()
          + "); start it with -javaagent:teardown-guard-agent.jar instead");
      return false;
    }
    return installWith(instrumentation, options, true);
  }

  /**
   * @param late the JVM already runs the application (a dynamic attach, or an install from code):
   *     its listeners may predate the hooks
   */
  static synchronized boolean installWith(Instrumentation instrumentation, String arguments, boolean late) {
    if (installation != null) {
      return alreadyInstalled(arguments);
    }
    try {
      AgentOptions options = AgentOptions.parse(arguments, AgentEnvironment.ofProcess(), new Stderr());
      installation = Installation.start(instrumentation, options, System.err, late);
      installedWith = arguments;
    } catch (Throwable t) {
      System.err.println("teardown-guard: not installed: " + t);
    }
    return installation != null;
  }

  /**
   * A second install (another attach, or install() from code): the agent keeps running as it was
   * started, since its hooks, report and meters are set up once; different options are said to be
   * ignored, in one line.
   */
  private static boolean alreadyInstalled(String arguments) {
    if (!normalized(arguments).equals(normalized(installedWith))) {
      System.err.println("teardown-guard: already running with options '" + normalized(installedWith)
          + "'; the options '" + normalized(arguments) + "' of this attach are ignored (restart the JVM to change them)");
    }
    return true;
  }

  private static String normalized(String arguments) {
    return arguments == null ? "" : arguments.trim();
  }

  public static synchronized boolean isInstalled() {
    return installation != null;
  }

  /** Calls {@code listener} for every finding from now on, on the thread that made the call. */
  public static synchronized void addFindingListener(Consumer<FindingEvent> listener) {
    requireInstalled().reporter().addListener(listener);
  }

  public static synchronized void removeFindingListener(Consumer<FindingEvent> listener) {
    requireInstalled().reporter().removeListener(listener);
  }

  /** Counts since install. */
  public static synchronized Totals totals() {
    return requireInstalled().reporter().totals();
  }

  /** A plain class rather than a lambda: the first lambda costs start-up time (LambdaMetafactory). */
  private static final class Stderr implements java.util.function.Consumer<String> {
    @Override
    public void accept(String line) {
      System.err.println(line);
    }
  }

  private static Installation requireInstalled() {
    if (installation == null) {
      throw new IllegalStateException("Teardown Guard is not installed; call TeardownGuard.install() first");
    }
    return installation;
  }
}
