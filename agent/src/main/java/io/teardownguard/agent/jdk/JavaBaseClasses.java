package io.teardownguard.agent.jdk;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;

/**
 * Copies one of the agent's JDK-only classes into java.base's {@code sun.nio.ch} under a new name
 * (Lookup.defineClass: same package as the anchor). Neither the bootstrap class path (whose
 * append makes HotSpot print a CDS warning on the application's stdout) nor Unsafe is needed.
 */
public final class JavaBaseClasses {
  private JavaBaseClasses() {}

  /**
   * The class {@code target} (internal name, in sun.nio.ch) defined from the agent's class
   * {@code source}, or the one an earlier install in this JVM defined.
   *
   * @param anchor a class of sun.nio.ch; the package must be open to the agent
   */
  public static Class<?> define(Class<?> anchor, String source, String target)
      throws IOException, ReflectiveOperationException {
    try {
      return Class.forName(target.replace('/', '.'), false, null);
    } catch (ClassNotFoundException firstInstall) {
      MethodHandles.Lookup inJavaBase = MethodHandles.privateLookupIn(anchor, MethodHandles.lookup());
      return inJavaBase.defineClass(renamed(source, target));
    }
  }

  private static byte[] renamed(String source, String target) throws IOException {
    try (InputStream in = JavaBaseClasses.class.getClassLoader().getResourceAsStream(source + ".class")) {
      if (in == null) {
        throw new IOException("missing " + source + ".class in the agent jar");
      }
      ClassReader reader = new ClassReader(in);
      ClassWriter writer = new ClassWriter(0);
      reader.accept(new ClassRemapper(writer, new SimpleRemapper(source, target)), 0);
      return writer.toByteArray();
    }
  }
}
