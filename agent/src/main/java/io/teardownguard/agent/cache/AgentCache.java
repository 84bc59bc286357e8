package io.teardownguard.agent.cache;

import io.teardownguard.agent.config.AgentEnvironment;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.zip.CRC32;

/**
 * A per-user directory where the agent keeps what it derives from bytes that change only with the
 * JDK or the agent, so that a JVM that has run before does not derive them again: the JDK classes
 * with their hooks inserted (ASM's reader and writer, and the JIT work they cause, were some 30 ms
 * of CPU in every short-lived JVM, issue 14) and the native probe library (copied once, not at
 * every start).
 *
 * <p>What the cache holds ends up as code in java.base, so it is trusted only as far as nobody
 * else can write it: the directory is used only when it is a real directory (not a symbolic link)
 * whose mode lets neither group nor others in (made 0700 when the agent creates it), and so only
 * its owner, or root, can create, rename or replace a file in it. Every entry is also checked on
 * read: a derived class is stored with the exact bytes it was derived from and the agent build
 * that derived it, both compared in full, and a CRC-32 over the whole file; a file is compared
 * byte for byte with what it must hold. Files are written to a temporary name and renamed into
 * place (rename(2) replaces atomically), so a reader sees a whole file or none. Any failure (no
 * home directory, a read-only file system, a damaged or foreign file) is a miss: the caller
 * derives the bytes itself, and nothing reaches the application.
 */
public final class AgentCache {
  /** "TGC1": the format of a derived-bytes entry. */
  private static final int MAGIC = 0x54474331;
  private static final int HEADER = 4 + 4 + 4 + 4;
  private static final int CRC_SIZE = 4;

  private static final AgentCache OFF = new AgentCache(null, null, null, null);

  /** The option's value ({@code auto} or a directory), until first use; null when given a directory. */
  private final String choice;
  /** The class whose jar names the build, until first use. */
  private final Class<?> agentClass;
  /** The cache's directory, or null when the cache is off; set before {@link #usable}. */
  private File directory;
  /** The agent build, as stored in each derived entry; set before {@link #usable}. */
  private byte[] build;
  /** 0: not checked yet; 1: usable; -1: not usable (checked once per JVM). */
  private volatile int usable;

  private AgentCache(File directory, byte[] build, String choice, Class<?> agentClass) {
    this.directory = directory;
    this.build = build;
    this.choice = choice;
    this.agentClass = agentClass;
  }


  /** No cache: every lookup misses, nothing is written. */
  public static AgentCache off() {
    return OFF;
  }

  /**
   * The cache in {@code directory} for entries derived by the agent build {@code build}; off
   * when either is null (an agent run from its classes, not its jar, has no build identity).
   * Touches no file until first used.
   */
  public static AgentCache in(Path directory, String build) {
    if (directory == null || build == null || build.isEmpty()) {
      return OFF;
    }
    return new AgentCache(directory.toFile(), charsOf(build), null, null);
  }

  /**
   * The cache the option {@code cache=auto|off|DIR} (already validated) asks for, for entries of
   * the agent build named by {@code agentClass}'s jar ({@code Implementation-Version}: the
   * version and the build's time, so a rebuilt agent never takes another build's entries; none,
   * and so no cache, when the agent runs from its classes). Resolved at first use, off the
   * premain path: reading the jar's package and making a path were some ms of the JVM's start.
   */
  public static AgentCache chosen(String choice, Class<?> agentClass) {
    return choice.equals("off") ? OFF : new AgentCache(null, null, choice, agentClass);
  }

  /**
   * The build identity's chars, two bytes each: exact for any text, and without
   * {@code StandardCharsets}, whose initializer loads five charsets at start-up.
   */
  private static byte[] charsOf(String text) {
    byte[] bytes = new byte[text.length() * 2];
    for (int i = 0; i < text.length(); i++) {
      bytes[2 * i] = (byte) (text.charAt(i) >>> 8);
      bytes[2 * i + 1] = (byte) text.charAt(i);
    }
    return bytes;
  }

  /**
   * The per-user default: {@code $XDG_CACHE_HOME/teardown-guard} when that variable holds an
   * absolute path (the XDG Base Directory specification), else {@code ~/.cache/teardown-guard};
   * null when neither is known.
   */
  public static Path defaultDirectory(String xdgCacheHome, String userHome) {
    if (xdgCacheHome != null && xdgCacheHome.startsWith("/")) {
      return Path.of(xdgCacheHome, "teardown-guard");
    }
    if (userHome == null || userHome.isEmpty() || userHome.equals("?")) {
      return null;
    }
    return Path.of(userHome, ".cache", "teardown-guard");
  }

  /** Whether entries may be read and written: the directory exists, or was made, and is the user's alone. */
  public boolean isUsable() {
    int known = usable;
    if (known == 0) {
      if (choice != null) {
        resolve();
      }
      known = directory != null && ownerOnlyDirectory(directory.toPath()) ? 1 : -1;
      usable = known;
    }
    return known == 1;
  }

  /** The directory and build {@link #chosen} names; both null when either is unknown. */
  private void resolve() {
    Path path = choice.equals("auto")
        ? defaultDirectory(AgentEnvironment.ofProcess().apply(AgentEnvironment.XDG_CACHE_HOME),
            System.getProperty("user.home"))
        : Path.of(choice);
    String version = agentClass.getPackage().getImplementationVersion();
    if (path != null && version != null && !version.isEmpty()) {
      directory = path.toFile();
      build = charsOf(version);
    }
  }

  /**
   * The bytes stored under {@code name} as derived from exactly {@code source} by this agent
   * build, or null (a miss: none stored, another build's, another source's, damaged).
   */
  public byte[] derived(String name, byte[] source) {
    if (!isUsable()) {
      return null;
    }
    byte[] entry = read(new File(directory, name));
    if (entry == null || entry.length < HEADER + CRC_SIZE || intAt(entry, 0) != MAGIC) {
      return null;
    }
    int body = entry.length - CRC_SIZE;
    if (intAt(entry, body) != crc(entry, body)) {
      return null;
    }
    int buildLength = intAt(entry, 4);
    int sourceLength = intAt(entry, 8);
    int derivedLength = intAt(entry, 12);
    if (buildLength < 0 || sourceLength < 0 || derivedLength < 0
        || (long) HEADER + buildLength + sourceLength + derivedLength != body) {
      return null;
    }
    int at = HEADER;
    if (!Arrays.equals(entry, at, at + buildLength, build, 0, build.length)) {
      return null;
    }
    at += buildLength;
    if (!Arrays.equals(entry, at, at + sourceLength, source, 0, source.length)) {
      return null;
    }
    at += sourceLength;
    return Arrays.copyOfRange(entry, at, at + derivedLength);
  }

  /** Stores {@code derived} under {@code name} as derived from {@code source}; a failure only loses the entry. */
  public void storeDerived(String name, byte[] source, byte[] derived) {
    if (!isUsable()) {
      return;
    }
    int body = HEADER + build.length + source.length + derived.length;
    byte[] entry = new byte[body + CRC_SIZE];
    putInt(entry, 0, MAGIC);
    putInt(entry, 4, build.length);
    putInt(entry, 8, source.length);
    putInt(entry, 12, derived.length);
    System.arraycopy(build, 0, entry, HEADER, build.length);
    System.arraycopy(source, 0, entry, HEADER + build.length, source.length);
    System.arraycopy(derived, 0, entry, HEADER + build.length + source.length, derived.length);
    putInt(entry, body, crc(entry, body));
    write(name, entry);
  }

  /**
   * A file named {@code name} in the cache that holds exactly {@code content}, written there if it
   * does not yet (or holds anything else), and read back and compared in full before it is
   * returned; null when the cache is off or that fails.
   */
  public Path file(String name, byte[] content) {
    if (!isUsable()) {
      return null;
    }
    File file = new File(directory, name);
    if (!Arrays.equals(read(file), content)) {
      write(name, content);
      if (!Arrays.equals(read(file), content)) {
        return null;
      }
    }
    return file.toPath();
  }

  /**
   * A name of {@code prefix}, the CRC-32 and the length of {@code content}, and {@code suffix}:
   * entries for different contents apart, one file per content (the cache stays as small as the
   * set of JDK and agent versions in use).
   */
  public static String nameFor(String prefix, byte[] content, String suffix) {
    CRC32 crc = new CRC32();
    crc.update(content, 0, content.length);
    return prefix + Long.toHexString(crc.getValue()) + "-" + content.length + suffix;
  }

  private static byte[] read(File file) {
    try (InputStream in = new FileInputStream(file)) {
      return in.readAllBytes();
    } catch (IOException | SecurityException missing) {
      return null;
    }
  }

  /** A temporary file of this process, renamed over {@code name}: a reader sees the old file or the new one. */
  private void write(String name, byte[] content) {
    File temporary = new File(directory, name + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
    try {
      try (OutputStream out = new FileOutputStream(temporary)) {
        out.write(content);
      }
      if (!temporary.renameTo(new File(directory, name))) {
        temporary.delete();
      }
    } catch (IOException | SecurityException e) {
      temporary.delete();
    }
  }

  /**
   * Whether {@code directory} is a directory (not a link to one) that only its owner may enter,
   * creating it (mode 0700) and its missing parents (the user's own, e.g. ~/.cache) if needed.
   */
  private static boolean ownerOnlyDirectory(Path directory) {
    try {
      if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
        Path parent = directory.getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        try {
          Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(EnumSet.of(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
        } catch (FileAlreadyExistsException madeMeanwhile) {
          // another JVM of this user's made it first (or something else is there: checked below)
        }
      }
      // A mode that lets group or others in: someone else could plant an entry; a link: it may
      // point anywhere. Owner-only, the directory can be read here only by its owner or root.
      int mode = (int) Files.getAttribute(directory, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS) && (mode & 0077) == 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static int crc(byte[] bytes, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }

  private static int intAt(byte[] bytes, int at) {
    return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | bytes[at + 3] & 0xff;
  }

  private static void putInt(byte[] bytes, int at, int value) {
    bytes[at] = (byte) (value >>> 24);
    bytes[at + 1] = (byte) (value >>> 16);
    bytes[at + 2] = (byte) (value >>> 8);
    bytes[at + 3] = (byte) value;
  }
}
