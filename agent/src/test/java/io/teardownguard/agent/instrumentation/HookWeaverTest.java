package io.teardownguard.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The weaving of this JDK's own NioSocketImpl: every target method gets its hook, and a class in
 * which a target method is missing (a JDK that renamed it) is refused rather than half hooked.
 */
class HookWeaverTest {
  private static final String NIO_SOCKET_IMPL = "sun/nio/ch/NioSocketImpl";

  @Test
  void everyTargetMethodOfTheClassGetsItsHook() throws IOException {
    List<HookTarget> ofClass = JdkSocketInstrumentation.TARGETS.stream()
        .filter(target -> target.owner().equals(NIO_SOCKET_IMPL)).toList();

    byte[] woven = new HookWeaver(JdkSocketInstrumentation.TARGETS).weave(NIO_SOCKET_IMPL, jdkClass(NIO_SOCKET_IMPL));

    List<String> hooked = methodsCallingTheHook(woven);
    for (HookTarget target : ofClass) {
      assertTrue(hooked.contains(target.method() + target.descriptor()), target + " in " + hooked);
    }
    assertEquals(ofClass.size(), hooked.size(), "no other method calls the hook: " + hooked);
  }

  @Test
  void aClassWithoutOneOfItsTargetMethodsIsRefused() throws IOException {
    long present = JdkSocketInstrumentation.TARGETS.stream().filter(target -> target.owner().equals(NIO_SOCKET_IMPL)).count();
    List<HookTarget> targets = new ArrayList<>(JdkSocketInstrumentation.TARGETS);
    targets.add(HookTarget.atEntry(NIO_SOCKET_IMPL, "renamedInSomeJdk", "()V", HookEvent.SOCKET_IMPL_CLOSE));
    byte[] original = jdkClass(NIO_SOCKET_IMPL);

    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> new HookWeaver(targets).weave(NIO_SOCKET_IMPL, original));
    assertTrue(refused.getMessage().contains(present + " of its " + (present + 1)), refused.getMessage());
  }

  private static byte[] jdkClass(String internalName) throws IOException {
    // A class file of the runtime image is a resource no module encapsulates.
    try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
      return in.readAllBytes();
    }
  }

  /** The methods (name and descriptor) that call the hook class's {@code on}. */
  private static List<String> methodsCallingTheHook(byte[] bytes) {
    List<String> hooked = new ArrayList<>();
    new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int opcode, String owner, String method, String called, boolean isInterface) {
            if (owner.equals(BootHooks.TARGET) && method.equals("on") && !hooked.contains(name + descriptor)) {
              hooked.add(name + descriptor);
            }
          }
        };
      }
    }, 0);
    return hooked;
  }
}
