package io.teardownguard.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hook entry point never throws into the JDK method that called it, and never re-enters. */
final class TeardownHooksTest {
  private static final List<Integer> SEEN = new ArrayList<>();

  private static final HookHandler FAILING = (event, socket, name, value) -> {
    throw new IllegalStateException("agent bug");
  };

  private static final HookHandler RECORDING = (event, socket, name, value) -> {
    SEEN.add(event);
    TeardownHooks.on(event + 100, socket, name, value); // a teardown caused by the handler itself
  };

  @AfterEach
  void detach() {
    TeardownHooks.install(null);
    SEEN.clear();
  }

  @Test
  void anErrorInTheHandlerIsCountedNotThrown() {
    TeardownHooks.install(FAILING);
    long before = TeardownHooks.errors();

    TeardownHooks.on(1, new Object(), null, null);

    assertEquals(before + 1, TeardownHooks.errors());
  }

  @Test
  void theHandlerDoesNotReenterAndQuietlySilencesIt() {
    TeardownHooks.install(RECORDING);
    long silenced = TeardownHooks.silencedCalls();

    TeardownHooks.on(1, new Object(), null, null);
    TeardownHooks.quietly(() -> TeardownHooks.on(2, new Object(), null, null));

    assertEquals(List.of(1), SEEN);
    assertEquals(silenced + 2, TeardownHooks.silencedCalls(),
        "the handler's own teardown and the quiet one are counted as silenced; the application's is not");
  }
}
