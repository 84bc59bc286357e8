package io.teardownguard.agent.jdk;

/**
 * A class for {@link JavaBaseClassesTest} to rename: it names itself in a field's type, in method
 * descriptors, in instructions (new, getstatic, invokestatic) and in a string literal, and holds
 * two-slot constants (long, double) that shift the constant pool's indices.
 */
public final class RenameFixture {
  public static final String OWN_NAME = "io/teardownguard/agent/jdk/RenameFixture";
  private static RenameFixture last;
  private final long value;

  private RenameFixture(long value) {
    this.value = value;
  }

  public static Object make() {
    last = twice(new RenameFixture(1L << 40));
    return last;
  }

  private static RenameFixture twice(RenameFixture fixture) {
    return new RenameFixture(fixture.value * 2);
  }

  public static long value(Object fixture) {
    return ((RenameFixture) fixture).value + (long) (0.5 * 2.5e-1);
  }

  /** Kept as written: a string literal is not a reference to the class. */
  public static String literal() {
    return OWN_NAME;
  }
}
