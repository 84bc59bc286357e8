package io.teardownguard.agent.jdk;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;

/**
 * Writes {@link StartupClasses}' resource when the agent is built (agent/pom.xml), from the
 * classes named in {@code agent/src/build/startup-classes.txt} as compiled (the agent's and the
 * model's): each class after the supertypes
 * it has in the list (a class is defined after its superclass and interfaces, which the JVM would
 * otherwise load from the jar first, so that their bundled copies came too late). The bundle
 * holds the classes as compiled, before the shade plugin relocates the libraries in the jar, so a
 * class that names a relocated package is refused: its bundled copy would name the original one.
 * Never loaded by the agent.
 */
public final class StartupClassesBundle {
  private StartupClassesBundle() {}

  /** {@code CLASS_DIRECTORY LIST RELOCATED_PACKAGES} (comma-separated, as the shade plugin's patterns). */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: StartupClassesBundle CLASS_DIRECTORY LIST RELOCATED_PACKAGES");
    }
    Path classes = Path.of(args[0]);
    List<String> relocated = new ArrayList<>();
    for (String pattern : args[2].split(",")) {
      relocated.add(pattern.strip().replace('.', '/'));
      relocated.add(pattern.strip());
    }
    Map<String, byte[]> bundle = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      byte[] bytes = compiled(name);
      if (bytes == null) {
        throw new IllegalStateException(args[1] + " names " + name + ", which the build did not produce: remove it");
      }
      String named = namedRelocated(bytes, relocated);
      if (named != null) {
        throw new IllegalStateException(name + " names " + named + ", which the jar relocates: remove it from " + args[1]);
      }
      bundle.put(name, bytes);
    }
    Path out = classes.resolve(StartupClasses.RESOURCE);
    try (OutputStream file = Files.newOutputStream(out); DataOutputStream data = new DataOutputStream(file)) {
      List<String> ordered = supertypesFirst(bundle);
      data.writeInt(ordered.size());
      for (String name : ordered) {
        byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
        data.writeShort(ascii.length);
        data.write(ascii);
        data.writeInt(bundle.get(name).length);
        data.write(bundle.get(name));
      }
    }
  }

  /** The class as compiled, from the agent's classes or the model's jar (this class's class path). */
  private static byte[] compiled(String name) throws IOException {
    try (InputStream in = StartupClassesBundle.class.getClassLoader()
        .getResourceAsStream(name.replace('.', '/') + ".class")) {
      return in == null ? null : in.readAllBytes();
    }
  }

  /** The list's order, but each class after its superclass and interfaces that are in the list. */
  static List<String> supertypesFirst(Map<String, byte[]> bundle) {
    Set<String> ordered = new LinkedHashSet<>();
    for (String name : bundle.keySet()) {
      addAfterSupertypes(name, bundle, ordered, new LinkedHashSet<>());
    }
    return new ArrayList<>(ordered);
  }

  private static void addAfterSupertypes(String name, Map<String, byte[]> bundle, Set<String> ordered,
      Set<String> visiting) {
    if (ordered.contains(name) || !bundle.containsKey(name) || !visiting.add(name)) {
      return;
    }
    ClassReader reader = new ClassReader(bundle.get(name));
    if (reader.getSuperName() != null) {
      addAfterSupertypes(reader.getSuperName().replace('/', '.'), bundle, ordered, visiting);
    }
    for (String implemented : reader.getInterfaces()) {
      addAfterSupertypes(implemented.replace('/', '.'), bundle, ordered, visiting);
    }
    ordered.add(name);
  }

  /** The first constant of {@code bytes} that names a relocated package, or null. */
  static String namedRelocated(byte[] bytes, List<String> relocated) {
    ClassReader reader = new ClassReader(bytes);
    for (int item = 1; item < reader.getItemCount(); item++) {
      int offset = reader.getItem(item);
      if (offset == 0 || bytes[offset - 1] != 1) { // not a CONSTANT_Utf8 (JVMS 4.4.7)
        continue;
      }
      String constant = new String(bytes, offset + 2, reader.readUnsignedShort(offset), StandardCharsets.UTF_8);
      for (String prefix : relocated) {
        if (constant.contains(prefix)) {
          return constant;
        }
      }
    }
    return null;
  }
}
