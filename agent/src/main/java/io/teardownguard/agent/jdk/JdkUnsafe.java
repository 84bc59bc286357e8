package io.teardownguard.agent.jdk;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.security.ProtectionDomain;
import jdk.internal.misc.Unsafe;

/**
 * The agent's uses of {@code jdk.internal.misc.Unsafe}, which {@code JdkSockets.openPackages}
 * exports to the agent: reading private fields of the JDK's socket classes by offset, and defining
 * the agent's classes in java.base.
 *
 * <p>The same reads through VarHandles, and the same definitions through {@code
 * Lookup.defineClass}, linked a LambdaForm class per access shape, and on JDK 25 parsed each class
 * with the class-file API, inside the application's start-up (issue 14, docs/performance.md). An
 * Unsafe read is a plain call, intrinsified by the JIT to the same field load a constant VarHandle
 * compiled to.
 *
 * <p>Each offset is taken from the field found by name and checked for its type, so a JDK that
 * renamed or retyped a field fails the lookup (and the agent's self-test) instead of being
 * misread. Compiled on its own against {@code jdk.internal.misc} (agent/pom.xml), like {@code
 * LastShutdownSlot}: its calls resolve when they first run, after the export.
 */
public final class JdkUnsafe {
  private static final Unsafe UNSAFE = Unsafe.getUnsafe();

  private JdkUnsafe() {}

  /** The offset of the instance field {@code name} of {@code type}, which must be of {@code fieldType}. */
  public static long offset(Class<?> type, String name, Class<?> fieldType) throws NoSuchFieldException {
    return UNSAFE.objectFieldOffset(declared(type, name, fieldType, false));
  }

  /** The value of the static int field {@code name} of {@code type} (a state constant). */
  public static int staticInt(Class<?> type, String name) throws NoSuchFieldException {
    Field field = declared(type, name, int.class, true);
    UNSAFE.ensureClassInitialized(type);
    return UNSAFE.getInt(UNSAFE.staticFieldBase(field), UNSAFE.staticFieldOffset(field));
  }

  public static int getInt(Object owner, long offset) {
    return UNSAFE.getInt(owner, offset);
  }

  /** With acquire semantics: for a field the JDK writes under a lock the agent does not take. */
  public static int getIntAcquire(Object owner, long offset) {
    return UNSAFE.getIntAcquire(owner, offset);
  }

  public static boolean getBoolean(Object owner, long offset) {
    return UNSAFE.getBoolean(owner, offset);
  }

  public static Object getReference(Object owner, long offset) {
    return UNSAFE.getReference(owner, offset);
  }

  /**
   * Defines {@code bytes}, a class of a package of java.base ({@code sun.nio.ch}), in java.base:
   * the bootstrap loader's class of that package belongs to the module that holds it, as the
   * JDK's own classes do. Fails (LinkageError) if the class is defined already.
   */
  public static Class<?> defineInJavaBase(String binaryName, byte[] bytes) {
    return UNSAFE.defineClass(binaryName, bytes, 0, bytes.length, null, null);
  }

  /**
   * Defines {@code bytes} in {@code loader} as the class loader's own definition would, without
   * its class path search and its Java-level checks ({@link StartupClasses}). Fails (LinkageError)
   * if the class is defined already.
   */
  public static Class<?> defineIn(ClassLoader loader, String binaryName, byte[] bytes, ProtectionDomain domain) {
    return UNSAFE.defineClass(binaryName, bytes, 0, bytes.length, loader, domain);
  }

  private static Field declared(Class<?> type, String name, Class<?> fieldType, boolean isStatic)
      throws NoSuchFieldException {
    Field field = type.getDeclaredField(name);
    if (field.getType() != fieldType || Modifier.isStatic(field.getModifiers()) != isStatic) {
      throw new NoSuchFieldException(type.getName() + "." + name + " is not a" + (isStatic ? " static" : "n instance")
          + " field of type " + fieldType.getName());
    }
    return field;
  }
}
