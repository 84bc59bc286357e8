package io.teardownguard.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hook entry point never throws into the JDK method that called it, and never re-enters. */
final class TeardownHooksTest {
  private static final List<Integer> SEEN = new ArrayList<>();

  static void failing(int event, Object socket, Object name, Object value) {
    throw new IllegalStateException("agent bug");
  }

  static void recording(int event, Object socket, Object name, Object value) {
    SEEN.add(event);
    TeardownHooks.on(event + 100, socket, name, value); // a teardown caused by the handler itself
  }

  private static MethodHandle handler(String name) throws ReflectiveOperationException {
    return MethodHandles.lookup().findStatic(TeardownHooksTest.class, name,
        MethodType.methodType(void.class, int.class, Object.class, Object.class, Object.class));
  }

  @AfterEach
  void detach() {
    TeardownHooks.install(null);
    SEEN.clear();
  }

  @Test
  void anErrorInTheHandlerIsCountedNotThrown() throws Exception {
    TeardownHooks.install(handler("failing"));
    long before = TeardownHooks.errors();

    TeardownHooks.on(1, new Object(), null, null);

    assertEquals(before + 1, TeardownHooks.errors());
  }

  @Test
  void theHandlerDoesNotReenterAndQuietlySilencesIt() throws Exception {
    TeardownHooks.install(handler("recording"));
    long silenced = TeardownHooks.silencedCalls();

    TeardownHooks.on(1, new Object(), null, null);
    TeardownHooks.quietly(() -> TeardownHooks.on(2, new Object(), null, null));

    assertEquals(List.of(1), SEEN);
    assertEquals(silenced + 2, TeardownHooks.silencedCalls(),
        "the handler's own teardown and the quiet one are counted as silenced; the application's is not");
  }
}
