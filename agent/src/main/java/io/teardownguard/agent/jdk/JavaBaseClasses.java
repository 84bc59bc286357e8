package io.teardownguard.agent.jdk;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies one of the agent's JDK-only classes into java.base's {@code sun.nio.ch} under a new name
 * (Lookup.defineClass: same package as the anchor). Neither the bootstrap class path (whose
 * append makes HotSpot print a CDS warning on the application's stdout) nor Unsafe is needed.
 * The renaming is done at build time ({@link #main}, the agent pom's {@code java-base-classes}
 * step): the jar carries each copy as {@code SOURCE.javabase}, which the agent defines as it is.
 */
public final class JavaBaseClasses {
  /** What the jar holds the renamed copy of class {@code SOURCE} as. */
  private static final String SUFFIX = ".javabase";
  // Constant-pool tags (JVMS 4.4) the renaming reads.
  private static final int MAGIC_AND_VERSION = 8;
  private static final int UTF8 = 1;
  private static final int LONG = 5;
  private static final int DOUBLE = 6;
  private static final int STRING = 8;

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
      byte[] copy = AgentJar.read(source + SUFFIX);
      if (copy == null) {
        throw new IOException("missing " + source + SUFFIX + " in the agent jar");
      }
      MethodHandles.Lookup inJavaBase = MethodHandles.privateLookupIn(anchor, MethodHandles.lookup());
      return inJavaBase.defineClass(copy);
    }
  }

  /**
   * The build step: for each pair {@code SOURCE TARGET} (internal names) after the class
   * directory, writes {@code SOURCE.javabase}, the class renamed, next to {@code SOURCE.class}.
   * Renaming at run time read and rewrote the class inside every JVM's start-up (issue 14).
   */
  public static void main(String[] args) throws IOException {
    Path classes = Path.of(args[0]);
    for (int i = 1; i + 1 < args.length; i += 2) {
      byte[] original = Files.readAllBytes(classes.resolve(args[i] + ".class"));
      Files.write(classes.resolve(args[i] + SUFFIX), renamed(original, args[i], args[i + 1]));
    }
  }

  /**
   * The class file {@code bytes} with the class named {@code target} instead of {@code source}.
   * These classes refer to JDK types and to themselves only, and every reference to a class's name
   * is an index into the constant pool: rewriting the pool's text entries that are the name, or
   * name it in a descriptor ({@code Lsource;}), renames the class, its members' descriptors and
   * every instruction that uses them (JVMS 4.4), and the rest of the file (fields, methods, code,
   * stack map frames, attributes) is copied unchanged. A string literal (CONSTANT_String) keeps
   * its text: where javac shares one text entry between a literal and a name, the literal gets a
   * copy appended to the pool.
   */
  static byte[] renamed(byte[] bytes, String source, String target) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    in.skipNBytes(MAGIC_AND_VERSION);
    int count = in.readUnsignedShort();
    int[] tags = new int[count];
    String[] texts = new String[count];
    byte[][] entries = new byte[count][];
    for (int index = 1; index < count; index++) {
      tags[index] = in.readUnsignedByte();
      if (tags[index] == UTF8) {
        texts[index] = in.readUTF();
      } else {
        entries[index] = new byte[entrySize(tags[index])];
        in.readFully(entries[index]);
        if (tags[index] == LONG || tags[index] == DOUBLE) {
          index++; // takes two slots (JVMS 4.4.5)
        }
      }
    }
    byte[] rest = in.readAllBytes();

    String descriptor = "L" + source + ";";
    ByteArrayOutputStream pool = new ByteArrayOutputStream(bytes.length + 64);
    DataOutputStream out = new DataOutputStream(pool);
    List<String> literalCopies = new ArrayList<>();
    for (int index = 1; index < count; index++) {
      out.writeByte(tags[index]);
      if (tags[index] == UTF8) {
        out.writeUTF(renamedText(texts[index], source, target, descriptor));
      } else if (tags[index] == STRING) {
        int text = ((entries[index][0] & 0xff) << 8) | (entries[index][1] & 0xff);
        if (!renamedText(texts[text], source, target, descriptor).equals(texts[text])) {
          literalCopies.add(texts[text]);
          text = count + literalCopies.size() - 1;
        }
        out.writeShort(text);
      } else {
        out.write(entries[index]);
        if (tags[index] == LONG || tags[index] == DOUBLE) {
          index++;
        }
      }
    }
    for (String literal : literalCopies) {
      out.writeByte(UTF8);
      out.writeUTF(literal);
    }
    ByteArrayOutputStream file = new ByteArrayOutputStream(pool.size() + rest.length + MAGIC_AND_VERSION + 2);
    file.write(bytes, 0, MAGIC_AND_VERSION);
    new DataOutputStream(file).writeShort(count + literalCopies.size());
    pool.writeTo(file);
    file.write(rest);
    return file.toByteArray();
  }

  private static String renamedText(String text, String source, String target, String descriptor) {
    return text.equals(source) ? target : text.replace(descriptor, "L" + target + ";");
  }

  /** The bytes after the tag of a constant-pool entry other than CONSTANT_Utf8 (JVMS 4.4). */
  private static int entrySize(int tag) throws IOException {
    return switch (tag) {
      case 7, STRING, 16, 19, 20 -> 2; // Class, String, MethodType, Module, Package
      case 15 -> 3; // MethodHandle
      case 3, 4, 9, 10, 11, 12, 17, 18 -> 4; // Integer, Float, refs, NameAndType, (Invoke)Dynamic
      case LONG, DOUBLE -> 8;
      default -> throw new IOException("constant-pool tag " + tag + " unknown");
    };
  }
}
