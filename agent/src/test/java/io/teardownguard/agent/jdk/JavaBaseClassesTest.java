package io.teardownguard.agent.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.agent.bootstrap.TeardownHooks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

/**
 * The constant-pool renaming that copies the hook class into java.base: the copy must be a valid
 * class of the new name that refers to itself only by that name. Checked by defining the renamed
 * fixture in a loader that cannot find the old name, and running it.
 */
class JavaBaseClassesTest {
  private static final String SOURCE = "io/teardownguard/agent/jdk/RenameFixture";
  private static final String TARGET = "io/teardownguard/agent/jdk/RenamedCopy";

  @Test
  void theCopyRunsUnderItsNewNameAlone() throws Exception {
    byte[] renamed = JavaBaseClasses.renamed(bytesOf(SOURCE), SOURCE, TARGET);
    Class<?> copy = new Isolating().define(renamed);
    assertEquals(TARGET.replace('/', '.'), copy.getName());
    Object made = copy.getMethod("make").invoke(null);
    assertEquals(copy, made.getClass(), "new and the descriptors name the copy");
    assertEquals((1L << 40) * 2, (long) copy.getMethod("value", Object.class).invoke(null, made));
    assertEquals(SOURCE, copy.getMethod("literal").invoke(null), "a string literal keeps its text");
  }

  @Test
  void theHookClassKeepsNoReferenceToItsOldName() throws IOException {
    String source = TeardownHooks.class.getName().replace('.', '/');
    byte[] renamed = JavaBaseClasses.renamed(bytesOf(source), source, "sun/nio/ch/TeardownGuardHooks");
    assertEquals("sun/nio/ch/TeardownGuardHooks", new ClassReader(renamed).getClassName());
    String text = new String(renamed, StandardCharsets.ISO_8859_1);
    assertFalse(text.contains(source), "no constant names the agent's class");
    assertTrue(text.contains("sun/nio/ch/TeardownGuardHooks"));
  }

  private static byte[] bytesOf(String internalName) throws IOException {
    try (InputStream in = JavaBaseClassesTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
      return in.readAllBytes();
    }
  }

  /** Defines the copy; the old name is not found from it, so a reference left behind fails to link. */
  private static final class Isolating extends ClassLoader {
    Isolating() {
      super(JavaBaseClassesTest.class.getClassLoader());
    }

    Class<?> define(byte[] bytes) {
      return defineClass(null, bytes, 0, bytes.length);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.equals(SOURCE.replace('/', '.'))) {
        throw new ClassNotFoundException(name + " must not be referenced by the copy");
      }
      return super.loadClass(name, resolve);
    }
  }
}
