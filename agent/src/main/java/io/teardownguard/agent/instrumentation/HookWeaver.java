package io.teardownguard.agent.instrumentation;

import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Inserts {@code TeardownGuardHooks.on(event, this, name, value)} into the target methods of one
 * class file, with ASM: at entry for teardown calls, before each normal return for setOption, and
 * around SSLSocket's teardown calls (at entry, and on every way out through a catch-all handler
 * that rethrows). The inserted code adds no branch or local: static calls of a method that
 * catches everything, so it cannot change what the JDK method does or throws. The only class of
 * the agent that names ASM's: a JVM whose hooked classes all come from the cache
 * ({@link HookInjector}) loads none of ASM.
 */
final class HookWeaver {
  private final List<HookTarget> targets;

  HookWeaver(List<HookTarget> targets) {
    this.targets = targets;
  }

  /**
   * The class file {@code bytes} of {@code className} (internal name) with its target methods
   * hooked. Fails unless every target of the class is there: a JDK that renamed one of them would
   * otherwise run with that teardown path silently unobserved; the caller counts the failure and
   * leaves the class as the JDK made it.
   */
  byte[] weave(String className, byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    TargetClass hooked = new TargetClass(writer, className);
    reader.accept(hooked, 0);
    int expected = 0;
    for (HookTarget target : targets) {
      if (target.owner().equals(className)) {
        expected++;
      }
    }
    if (hooked.placed != expected) {
      throw new IllegalStateException(className + ": " + hooked.placed + " of its " + expected + " hooked methods found");
    }
    return writer.toByteArray();
  }

  private final class TargetClass extends ClassVisitor {
    private final String owner;
    /** Target methods found in the class so far. */
    private int placed;

    TargetClass(ClassVisitor next, String owner) {
      super(Opcodes.ASM9, next);
      this.owner = owner;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
      for (HookTarget target : targets) {
        if (target.owner().equals(owner) && target.method().equals(name) && target.descriptor().equals(descriptor)) {
          placed++;
          return new HookedMethod(method, owner, target);
        }
      }
      return method;
    }
  }

  private static final class HookedMethod extends MethodVisitor {
    private final String owner;
    private final HookTarget target;
    /** For AROUND: the range the catch-all handler covers, and the handler. */
    private final Label start = new Label();
    private final Label handler = new Label();

    HookedMethod(MethodVisitor next, String owner, HookTarget target) {
      super(Opcodes.ASM9, next);
      this.owner = owner;
      this.target = target;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      if (target.placement() != HookTarget.Placement.RETURN) {
        callHook(target.event());
      }
      if (target.placement() == HookTarget.Placement.AROUND) {
        super.visitLabel(start);
      }
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
        switch (target.placement()) {
          case RETURN -> callHook(target.event());
          case AROUND -> callHook(target.exitEvent());
          case ENTRY -> { }
        }
      }
      super.visitInsn(opcode);
    }

    /**
     * AROUND: a catch-all handler after the method's code, listed after the method's own handlers
     * so that they keep precedence: it reports the exit and rethrows. Its frame holds only
     * {@code this} (the other locals are unused there) and the exception.
     */
    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      if (target.placement() == HookTarget.Placement.AROUND) {
        super.visitLabel(handler);
        super.visitFrame(Opcodes.F_FULL, 1, new Object[] {owner}, 1, new Object[] {"java/lang/Throwable"});
        callHook(target.exitEvent());
        super.visitInsn(Opcodes.ATHROW);
        super.visitTryCatchBlock(start, handler, handler, null);
      }
      super.visitMaxs(maxStack, maxLocals);
    }

    private void callHook(int event) {
      super.visitIntInsn(Opcodes.BIPUSH, event);
      super.visitVarInsn(Opcodes.ALOAD, 0);
      // (name, value): the method's first two arguments, a primitive boxed (setOption(int, Object),
      // Netty's shutdown(boolean, boolean), setSoLinger(int)); null where there is none.
      Type[] arguments = target.passesArguments() ? Type.getArgumentTypes(target.descriptor()) : new Type[0];
      int local = 1;
      for (int i = 0; i < 2; i++) {
        if (i >= arguments.length) {
          super.visitInsn(Opcodes.ACONST_NULL);
          continue;
        }
        Type argument = arguments[i];
        super.visitVarInsn(argument.getOpcode(Opcodes.ILOAD), local);
        local += argument.getSize();
        box(argument);
      }
      super.visitMethodInsn(Opcodes.INVOKESTATIC, BootHooks.TARGET, "on", BootHooks.ON_DESCRIPTOR, false);
    }

    private void box(Type argument) {
      switch (argument.getSort()) {
        case Type.INT -> super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf",
            "(I)Ljava/lang/Integer;", false);
        case Type.BOOLEAN -> super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Boolean", "valueOf",
            "(Z)Ljava/lang/Boolean;", false);
        case Type.OBJECT, Type.ARRAY -> { }
        default -> throw new IllegalArgumentException("no boxing for " + argument + " in " + target);
      }
    }
  }
}
