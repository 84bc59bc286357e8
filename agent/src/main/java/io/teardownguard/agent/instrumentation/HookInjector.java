package io.teardownguard.agent.instrumentation;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
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
import org.objectweb.asm.Type;

/**
 * Inserts {@code TeardownGuardHooks.on(event, this, name, value)} into the target methods of the
 * JDK's socket classes (and of Netty's native sockets, {@link NettyNativeInstrumentation}): at entry for teardown calls, before each normal return for setOption, and
 * around SSLSocket's teardown calls (at entry, and on every way out through a catch-all handler
 * that rethrows). The inserted code adds no branch or local: static calls of a method that
 * catches everything, so it cannot change what the JDK method does or throws.
 */
final class HookInjector implements ClassFileTransformer {
  private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
  private final List<HookTarget> targets;
  private final Set<String> owners = new HashSet<>();
  private final LazyHooks hooks;
  private final AtomicLong errors;
  private final Set<String> transformed = ConcurrentHashMap.newKeySet();
  private final Admission admission;

  /**
   * Whether a class of the targets' names, loaded by {@code loader} into {@code module}, gets its
   * hooks: the inserted call must resolve, from there, to the hook class (defined by then).
   */
  @FunctionalInterface
  interface Admission {
    boolean admits(Module module, ClassLoader loader) throws ReflectiveOperationException;
  }

  /**
   * The JDK's own classes, never an application's of the same name: the bootstrap loader's
   * (java.base) and the platform loader's (jdk.httpserver, whose module is given access to the hook
   * class by {@code JdkHttpServer.openPackages}).
   */
  HookInjector(List<HookTarget> targets, LazyHooks hooks, AtomicLong errors) {
    this(targets, hooks, errors, new JdkLoaders());
  }

  /** A class, not a lambda: a lambda costs a LambdaMetafactory spin at install (issue 14). */
  private static final class JdkLoaders implements Admission {
    @Override
    public boolean admits(Module module, ClassLoader loader) {
      return loader == null || loader == PLATFORM;
    }
  }

  HookInjector(List<HookTarget> targets, LazyHooks hooks, AtomicLong errors, Admission admission) {
    this.targets = targets;
    this.hooks = hooks;
    this.errors = errors;
    this.admission = admission;
    for (HookTarget target : targets) {
      owners.add(target.owner());
    }
  }

  /**
   * Adds this transformer, which instruments the target classes when they load, and retransforms
   * those already loaded (a dynamic attach); {@link #transform} admits or leaves each by its loader.
   */
  void addTo(Instrumentation instrumentation) throws UnmodifiableClassException {
    instrumentation.addTransformer(this, true);
    List<Class<?>> loaded = new ArrayList<>();
    // Binary names compared as they are, not each converted to an internal name: a JVM has
    // loaded hundreds of classes at premain, and the conversion was C2-compiled work at start-up.
    Set<String> ownerNames = new HashSet<>();
    for (String owner : owners) {
      ownerNames.add(owner.replace('/', '.'));
    }
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (ownerNames.contains(type.getName())) {
        loaded.add(type);
      }
    }
    if (!loaded.isEmpty()) {
      instrumentation.retransformClasses(loaded.toArray(Class<?>[]::new));
    }
  }

  /** Internal names of the classes transformed so far. */
  Set<String> transformed() {
    return transformed;
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
      ProtectionDomain domain, byte[] bytes) {
    if (!owners.contains(className)) {
      return null;
    }
    try {
      // The inserted call must find its class: no hook class, or none this loader reaches, no transformation.
      hooks.get();
      if (!admission.admits(module, loader)) {
        return null;
      }
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
