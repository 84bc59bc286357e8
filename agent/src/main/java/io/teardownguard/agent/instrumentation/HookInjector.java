package io.teardownguard.agent.instrumentation;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Inserts {@code TeardownGuardHooks.on(event, this, name, value)} into the target methods of the
 * JDK's socket classes: at entry for teardown calls, before each normal return for setOption, and
 * around SSLSocket's teardown calls (at entry, and on every way out through a catch-all handler
 * that rethrows). The inserted code adds no branch or local: static calls of a method that
 * catches everything, so it cannot change what the JDK method does or throws.
 */
final class HookInjector implements ClassFileTransformer {
  private final List<HookTarget> targets;
  private final Set<String> owners = new HashSet<>();
  private final LazyHooks hooks;
  private final AtomicLong errors;
  private final Set<String> transformed = ConcurrentHashMap.newKeySet();

  HookInjector(List<HookTarget> targets, LazyHooks hooks, AtomicLong errors) {
    this.targets = targets;
    this.hooks = hooks;
    this.errors = errors;
    for (HookTarget target : targets) {
      owners.add(target.owner());
    }
  }

  /** Internal names of the classes to transform. */
  Set<String> owners() {
    return owners;
  }

  /** Internal names of the classes transformed so far. */
  Set<String> transformed() {
    return transformed;
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
      ProtectionDomain domain, byte[] bytes) {
    if (loader != null || !owners.contains(className)) {
      return null; // only the bootstrap loader's sun.nio.ch classes are touched
    }
    try {
      hooks.get(); // the inserted call must find its class: no hook class, no transformation
      ClassReader reader = new ClassReader(bytes);
      ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
      reader.accept(new TargetClass(writer, className), 0);
      transformed.add(className);
      return writer.toByteArray();
    } catch (Throwable t) {
      errors.incrementAndGet();
      return null; // the class stays as the JDK made it
    }
  }

  private final class TargetClass extends ClassVisitor {
    private final String owner;

    TargetClass(ClassVisitor next, String owner) {
      super(Opcodes.ASM9, next);
      this.owner = owner;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
      for (HookTarget target : targets) {
        if (target.owner().equals(owner) && target.method().equals(name) && target.descriptor().equals(descriptor)) {
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
      if (target.passesArguments()) {
        // setOption(int, Object) or setOption(SocketOption, Object): box an int option id.
        if (target.descriptor().startsWith("(I")) {
          super.visitVarInsn(Opcodes.ILOAD, 1);
          super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
        } else {
          super.visitVarInsn(Opcodes.ALOAD, 1);
        }
        super.visitVarInsn(Opcodes.ALOAD, 2);
      } else {
        super.visitInsn(Opcodes.ACONST_NULL);
        super.visitInsn(Opcodes.ACONST_NULL);
      }
      super.visitMethodInsn(Opcodes.INVOKESTATIC, BootHooks.TARGET, "on", BootHooks.ON_DESCRIPTOR, false);
    }
  }
}
