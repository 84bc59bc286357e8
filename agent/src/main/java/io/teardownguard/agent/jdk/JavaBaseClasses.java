package io.teardownguard.agent.jdk;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies one of the agent's JDK-only classes into java.base's {@code sun.nio.ch} under a new name
 * ({@link JdkUnsafe#defineInJavaBase}). The bootstrap class path is not used: its append makes
 * HotSpot print a CDS warning on the application's stdout.
 * The renaming is done at build time ({@link #main}, the agent pom's {@code java-base-classes}
 * step): the jar carries each copy as {@code SOURCE.javabase}, which the agent defines as it is.
 */
public final class JavaBaseClasses {
  /** What the jar holds the renamed copy of class {@code SOURCE} as. */
  private static final String SUFFIX = ".javabase";
  /** In {@link #main}'s arguments: the classes after it refer to the copies. */
  private static final String REFERENCES = "--references";
  // Constant-pool tags (JVMS 4.4) the renaming reads.
  private static final int MAGIC_AND_VERSION = 8;
  private static final int UTF8 = 1;
  private static final int LONG = 5;
  private static final int DOUBLE = 6;
  private static final int STRING = 8;

  private JavaBaseClasses() {}

  /**
   * The class {@code target} (internal name, in sun.nio.ch) defined from the agent's class
   * {@code source}, or the one an earlier install in this JVM defined. After {@code
   * JdkSockets.openPackages}.
   */
  public static Class<?> define(String source, String target) throws IOException, ClassNotFoundException {
    String name = target.replace('/', '.');
    try {
      return Class.forName(name, false, null);
    } catch (ClassNotFoundException firstInstall) {
      byte[] copy = AgentJar.read(source + SUFFIX);
      if (copy == null) {
        throw new IOException("missing " + source + SUFFIX + " in the agent jar");
      }
      try {
        return JdkUnsafe.defineInJavaBase(name, copy);
      } catch (LinkageError notDefined) {
        try {
          return Class.forName(name, false, null); // defined meanwhile by another install of the agent
        } catch (ClassNotFoundException stillMissing) {
          throw notDefined; // a class the JVM refused (a VerifyError, say): its own error, not a lookup's
        }
      }
    }
  }

  /**
   * The build step. After the class directory: pairs {@code SOURCE TARGET} (internal names), then
   * {@code --references} and the agent's classes that call the copies. Writes {@code
   * SOURCE.javabase} next to each {@code SOURCE.class}, the class renamed to its target; and
   * rewrites each referring class in place, so that it names the targets: its calls into java.base
   * are then plain calls, resolved at their first run (after the copies are defined), where
   * method handles spun LambdaForm classes in every JVM's start-up. Every pair applies to every
   * class (a copy may name another copy). Renaming at run time read and rewrote the classes inside
   * every JVM's start-up (issue 14).
   */
  public static void main(String[] args) throws IOException {
    Path classes = Path.of(args[0]);
    Map<String, String> targets = new LinkedHashMap<>();
    int i = 1;
    for (; i + 1 < args.length && !args[i].equals(REFERENCES); i += 2) {
      targets.put(args[i], args[i + 1]);
    }
    for (String source : targets.keySet()) {
      byte[] original = Files.readAllBytes(classes.resolve(source + ".class"));
      Files.write(classes.resolve(source + SUFFIX), renamed(original, targets));
    }
    for (i++; i < args.length; i++) {
      Path referring = classes.resolve(args[i] + ".class");
      Files.write(referring, renamed(Files.readAllBytes(referring), targets));
    }
  }

  /**
   * The class file {@code bytes} with every class named by a key of {@code targets} named by its
   * value instead: the class itself, if it is one of them, or the classes it refers to. These
   * classes refer to JDK types, to the agent's own and to each other only, and every reference to
   * a class's name is an index into the constant pool: rewriting the pool's text entries that are
   * the name, or name it in a descriptor ({@code Lsource;}), renames the class, its members'
   * descriptors and every instruction that uses them (JVMS 4.4), and the rest of the file (fields,
   * methods, code, stack map frames, attributes) is copied unchanged. A string literal
   * (CONSTANT_String) keeps its text: where javac shares one text entry between a literal and a
   * name, the literal gets a copy appended to the pool.
   */
  static byte[] renamed(byte[] bytes, Map<String, String> targets) throws IOException {
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

    ByteArrayOutputStream pool = new ByteArrayOutputStream(bytes.length + 64);
    DataOutputStream out = new DataOutputStream(pool);
    List<String> literalCopies = new ArrayList<>();
    for (int index = 1; index < count; index++) {
      out.writeByte(tags[index]);
      if (tags[index] == UTF8) {
        out.writeUTF(renamedText(texts[index], targets));
      } else if (tags[index] == STRING) {
        int text = ((entries[index][0] & 0xff) << 8) | (entries[index][1] & 0xff);
        if (!renamedText(texts[text], targets).equals(texts[text])) {
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

  private static String renamedText(String text, Map<String, String> targets) {
    String target = targets.get(text);
    if (target != null) {
      return target;
    }
    String renamed = text;
    for (Map.Entry<String, String> rename : targets.entrySet()) {
      renamed = renamed.replace("L" + rename.getKey() + ";", "L" + rename.getValue() + ";");
    }
    return renamed;
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
