package io.teardownguard.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher tells hooks apart by number alone: two events with one number would send one
 * kind's hook into the other's handler (as a close's return once shared a number with an
 * asynchronous channel's close).
 */
final class HookEventTest {

  @Test
  void everyEventHasANumberOfItsOwn() throws IllegalAccessException {
    Map<Integer, String> byNumber = new HashMap<>();
    for (Field field : HookEvent.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
        String earlier = byNumber.put(field.getInt(null), field.getName());
        assertNull(earlier, () -> field.getName() + " has the number of " + earlier);
      }
    }
    assertEquals(true, byNumber.size() > 20, "HookEvent's constants were not found: " + byNumber);
  }
}
