package io.teardownguard.agent;

import io.teardownguard.agent.cache.AgentCache;
import java.nio.file.Path;

/**
 * The agent's cache ({@code cache=auto|off|DIR}). Its entries are tied to the agent build that
 * wrote them: the jar's {@code Implementation-Version}, the project version and the build's
 * timestamp, so a rebuilt agent never takes another build's hooked classes. Without a jar
 * (the agent's classes on a class path) there is no build identity and no cache.
 */
final class CacheChoice {
  private CacheChoice() {}

  /** @param choice the option's value, already validated */
  static AgentCache select(String choice) {
    if (choice.equals("off")) {
      return AgentCache.off();
    }
    Path directory = choice.equals("auto")
        ? AgentCache.defaultDirectory(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"))
        : Path.of(choice);
    return AgentCache.in(directory, CacheChoice.class.getPackage().getImplementationVersion());
  }
}
