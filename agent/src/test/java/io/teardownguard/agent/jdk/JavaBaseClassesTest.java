package io.teardownguard.agent.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.agent.bootstrap.HookHandler;
import io.teardownguard.agent.bootstrap.TeardownHooks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The constant-pool renaming that copies the hook class into java.base: the copy must be a valid
 * class of the new name that refers to itself only by that name. Checked by defining the renamed
 * fixture in a loader that cannot find the old name, and running it.
 */
class JavaBaseClassesTest {
  private static final String SOURCE = "io/teardownguard/agent/jdk/RenameFixture";
  private static final String TARGET = "io/teardownguard/agent/jdk/RenamedCopy";
  private static final String BOOTSTRAP = "io/teardownguard/agent/bootstrap/";

  @Test
  void theCopyRunsUnderItsNewNameAlone() throws Exception {
    byte[] renamed = JavaBaseClasses.renamed(bytesOf(SOURCE), Map.of(SOURCE, TARGET));
    Class<?> copy = new Isolating().define(renamed);
    assertEquals(TARGET.replace('/', '.'), copy.getName());
    Object made = copy.getMethod("make").invoke(null);
    assertEquals(copy, made.getClass(), "new and the descriptors name the copy");
    assertEquals((1L << 40) * 2, (long) copy.getMethod("value", Object.class).invoke(null, made));
    assertEquals(SOURCE, copy.getMethod("literal").invoke(null), "a string literal keeps its text");
  }

  @Test
  void theHookClassKeepsNoReferenceToTheAgentsNames() throws IOException {
    String source = TeardownHooks.class.getName().replace('.', '/');
    String handler = HookHandler.class.getName().replace('.', '/');
    byte[] renamed = JavaBaseClasses.renamed(bytesOf(source),
        Map.of(source, "sun/nio/ch/TeardownGuardHooks", handler, "sun/nio/ch/TeardownGuardHandler"));
    assertEquals("sun/nio/ch/TeardownGuardHooks", new ClassReader(renamed).getClassName());
    String text = new String(renamed, StandardCharsets.ISO_8859_1);
    assertFalse(text.contains(BOOTSTRAP), "no constant names an agent class");
    assertTrue(text.contains("Lsun/nio/ch/TeardownGuardHandler;"), "the handler's field names the java.base copy");
  }

  /**
   * The build step rewrote the agent's callers of the java.base copies in place: a reference left
   * to the agent's own copy would load and call that one, a second hook class the JDK never calls.
   * (Their string constants may still spell the old names: the copies' resource names.)
   */
  @Test
  void theCallersOfTheCopiesNameThemAfterTheBuild() throws IOException {
    for (String caller : List.of("io/teardownguard/agent/instrumentation/BootHooks",
        "io/teardownguard/agent/instrumentation/BootHooks$Handler", "io/teardownguard/agent/probe/NativeSocketProbe")) {
      List<String> named = namedInCode(bytesOf(caller));
      assertTrue(named.stream().noneMatch(name -> name.contains(BOOTSTRAP)), caller + " calls " + named);
      assertTrue(named.stream().anyMatch(name -> name.contains("sun/nio/ch/TeardownGuard")), caller + " calls " + named);
    }
  }

  /** The owners and descriptors of the methods a class calls, its interfaces and its methods' descriptors. */
  private static List<String> namedInCode(byte[] bytes) {
    List<String> named = new ArrayList<>();
    new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        named.addAll(List.of(interfaces));
      }

      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        named.add(descriptor);
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int opcode, String owner, String method, String called, boolean isInterface) {
            named.add(owner + "." + method + called);
          }
        };
      }
    }, 0);
    return named;
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
