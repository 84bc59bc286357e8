package io.teardownguard.agent.probe;

import io.teardownguard.agent.bootstrap.ProbeNatives;
import io.teardownguard.agent.cache.AgentCache;
import io.teardownguard.agent.jdk.AgentJar;
import io.teardownguard.agent.jdk.JavaBaseClasses;
import io.teardownguard.model.TcpState;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a socket through libteardownguard-probe.so (src/main/c/teardownguard_probe.c). For the
 * model alone ({@link #probeForModel}), quiet0 answers in a packed long, with no array and, for
 * empty queues, no view allocated. Otherwise one JNI call makes TCP_INFO (whose tcpi_notsent_bytes is the bytes not yet sent), SIOCINQ (unless the
 * application has read EOF), SIOCOUTQ (only when something is in flight, for the unacknowledged
 * bytes) and optionally SO_LINGER. Each system call costs 1 to 1.5 µs and JNA would add about 0.5 µs to each; the JNI
 * call itself measured 10 ns. The native method lives in java.base ({@code
 * sun.nio.ch.TeardownGuardProbe}, see {@code ProbeNatives}), which needs sun.nio.ch open to the
 * agent: the agent opens it through Instrumentation before loading this class. This class calls
 * it directly: the build renames its references to {@code ProbeNatives} to the java.base copy
 * (agent/pom.xml, {@code JavaBaseClasses}), where method handles spun LambdaForm classes in every
 * JVM's start-up (issue 14).
 */
public final class NativeSocketProbe implements SocketProbe {

  private static final String LIBRARY = "libteardownguard-probe.so";

  // probe0's out[] slots, in the order teardownguard_probe.c fills them.
  private static final int STATE = 0;
  private static final int UNREAD = 1;
  private static final int NOT_SENT = 2;
  private static final int ACCEPT_QUEUE = 3;
  private static final int LINGER = 4;
  private static final int UNACKED = 5;
  private static final int SEND_WINDOW = 6;
  private static final int SLOTS = 7;

  /** Linux's EBADF, which probe0 must return for descriptor -1 once the library is linked. */
  private static final int EBADF = 9;

  private static final String NATIVES_SOURCE = "io/teardownguard/agent/bootstrap/ProbeNatives";
  private static final String NATIVES_TARGET = "sun/nio/ch/TeardownGuardProbe";

  /**
   * Loads the library once per class loader, on first use. Each class loader loads its own copy
   * of the JNI class, but they share one library file: java.base's copy of the class (defined once
   * per JVM) is what loads it.
   */
  private static final class Library {
    private static boolean tried;
    /** Why the library is unusable, or null once it is loaded and answers. */
    private static String failure;

    private Library() {}

    static synchronized String load(AgentCache cache) {
      if (!tried) {
        failure = loadLibrary(cache);
        tried = true;
      }
      return failure;
    }

    static synchronized String failure() {
      return failure;
    }
  }

  /** quiet0's "read it with probe0" answer. */
  private static final long QUIET_FULL = 1L << 62;

  /** The quiet views with nothing unread, one per state, made once: the common close allocates none. */
  private static final KernelView[] EMPTY_QUEUES = emptyQueues();

  private NativeSocketProbe() {}

  /** The native probe, or empty when the library cannot be loaded ({@link #unavailableReason}). */
  public static Optional<NativeSocketProbe> load() {
    return load(AgentCache.off());
  }

  /**
   * The same, the library loaded from {@code cache} (written there by the first JVM that needs
   * it) rather than copied to a new directory at every start.
   */
  public static Optional<NativeSocketProbe> load(AgentCache cache) {
    return Library.load(cache) == null ? Optional.of(new NativeSocketProbe()) : Optional.empty();
  }

  /** Why {@link #load()} returns empty; empty when it does not. */
  public static Optional<String> unavailableReason() {
    return Optional.ofNullable(Library.failure());
  }

  /**
   * Allocates out[] per call rather than keeping one per thread: a ThreadLocal array measured 4 to
   * 9 ns faster on JDK 17 and 25, against about 3 µs of system calls per probe, and would keep an
   * array alive in every thread, each virtual thread included, that ever closed a socket.
   */
  @Override
  public KernelView probe(int fd, boolean readLinger, boolean inputAtEof) {
    long[] out = new long[SLOTS];
    if (probe0(fd, readLinger, inputAtEof, out) != 0) {
      return null;
    }
    var state = KernelView.stateOf(out[STATE]);
    if (state == null) {
      return null;
    }
    return new KernelView(
        state, out[UNREAD], out[NOT_SENT], out[UNACKED], out[SEND_WINDOW], (int) out[ACCEPT_QUEUE], (int) out[LINGER]);
  }


  /** One system call or two (TCP_INFO, SIOCINQ unless EOF was read), the answer packed in a long. */
  @Override
  public KernelView probeForModel(int fd, boolean inputAtEof) {
    long packed = quiet0(fd, inputAtEof);
    if (packed == QUIET_FULL) {
      return probe(fd, false, inputAtEof);
    }
    if (packed < 0) {
      return null;
    }
    var state = KernelView.stateOf(packed & 0xff);
    if (state == null) {
      return null;
    }
    long unread = packed >>> 8;
    return unread == 0 ? EMPTY_QUEUES[state.ordinal()]
        : new KernelView(state, unread, 0, KernelView.UNKNOWN, KernelView.UNKNOWN, 0, -1);
  }

  private static KernelView[] emptyQueues() {
    TcpState[] states = TcpState.values();
    KernelView[] views = new KernelView[states.length];
    for (TcpState state : states) {
      views[state.ordinal()] = new KernelView(state, 0, 0, KernelView.UNKNOWN, KernelView.UNKNOWN, 0, -1);
    }
    return views;
  }

  private static long quiet0(int fd, boolean inputAtEof) {
    try {
      return ProbeNatives.quiet0(fd, inputAtEof);
    } catch (Throwable t) {
      return -1; // as probe0
    }
  }

  /**
   * Fills out[0..6] (state, unread, not sent, accept queue, linger, unacknowledged, send window) and returns 0, or returns
   * -errno and leaves out[] alone.
   */
  private static int probe0(int fd, boolean readLinger, boolean inputAtEof, long[] out) {
    try {
      return ProbeNatives.probe0(fd, readLinger, inputAtEof, out);
    } catch (Throwable t) {
      return -1; // an unchecked error of the native call: treated as an unreadable socket
    }
  }

  /** Extracts, loads and checks the library; returns why that failed, or null. */
  private static String loadLibrary(AgentCache cache) {
    String platform = platform();
    if (platform == null) {
      return "no native probe is built for "
          + System.getProperty("os.name")
          + "/"
          + System.getProperty("os.arch");
    }
    String resource = "native/" + platform + "/" + LIBRARY;
    try {
      byte[] library = AgentJar.read(resource);
      if (library == null) {
        return resource + " is not in the agent jar";
      }
      JavaBaseClasses.define(NATIVES_SOURCE, NATIVES_TARGET);
      loadFrom(library, cache);
      // JNI binds probe0 on its first call: this one proves the symbol links and the code runs.
      int check = probe0(-1, false, false, new long[SLOTS]);
      long quietCheck = quiet0(-1, false);
      return check == -EBADF && quietCheck == -EBADF ? null
          : resource + " answered " + check + " and " + quietCheck + " for descriptor -1";
    } catch (Throwable e) {
      // Covers a noexec temporary directory, a library for another C library (musl) or another
      // class loader's copy; the caller falls back to ProcNetSocketProbe.
      return "cannot load " + resource + ": " + e;
    }
  }

  /**
   * Loads the library from the cache, where it is named by its content and compared in full with
   * {@code library} before it is loaded ({@link AgentCache#file}); else, or if that copy cannot be
   * loaded (a home directory mounted noexec), from a copy of its own.
   */
  private static void loadFrom(byte[] library, AgentCache cache) throws IOException {
    Path cached = cache.file(AgentCache.nameFor("libteardownguard-probe-", library, ".so"), library);
    if (cached != null) {
      try {
        ProbeNatives.load(cached.toString());
        return;
      } catch (UnsatisfiedLinkError notLoadable) {
        // the copy in a new directory below
      }
    }
    loadCopy(library);
  }

  /**
   * Copies the library into a new owner-only directory, so no other user can swap the file
   * between copy and load, loads it, and deletes it at once: the loaded mapping outlives the
   * file, and nothing is left behind even when the JVM is killed.
   */
  private static void loadCopy(byte[] library) throws IOException {
    Path directory = newOwnerOnlyDirectory();
    Path file = directory.resolve(LIBRARY);
    try {
      // java.io, not Files.write: that one opens a FileChannel, some 15 classes more at start-up.
      // The directory is new and this process's own, so nobody else can have made the file.
      try (OutputStream out = new FileOutputStream(file.toFile())) {
        out.write(library);
      }
      ProbeNatives.load(file.toString());
    } finally {
      deleteLeftovers(file, directory);
    }
  }

  /**
   * A new directory in java.io.tmpdir, mode 0700, named from the clock. Not
   * {@code Files.createTempDirectory}: its random name comes from SecureRandom, whose provider
   * set-up (NativePRNG, a SHA-1 digest, the security properties) was a tenth of the CPU the agent
   * added to a short-lived JVM (issue 14). The name needs no secrecy: mkdir(2) creates the
   * directory or fails with EEXIST (a name taken, by anyone, even as a symbolic link), so the
   * directory used is always one this process just made, owner-only from its creation; a taken
   * name is retried with the next.
   */
  private static Path newOwnerOnlyDirectory() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    FileAttribute<Set<PosixFilePermission>> ownerOnly =
        PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
    for (int attempt = 0; ; attempt++) {
      try {
        return Files.createDirectory(tmp.resolve("teardownguard-probe-" + Long.toHexString(System.nanoTime())),
            ownerOnly);
      } catch (FileAlreadyExistsException taken) {
        if (attempt == 9) {
          throw taken;
        }
      }
    }
  }

  /** A leftover owner-only file must not turn a loaded library into a failure. */
  private static void deleteLeftovers(Path file, Path directory) {
    try {
      Files.deleteIfExists(file);
      Files.delete(directory);
    } catch (IOException e) {
      // Nothing to do: the directory stays in java.io.tmpdir, readable only by this user.
    }
  }

  /** The resource folder for this JVM's platform, or null when none is built for it. */
  private static String platform() {
    if (!System.getProperty("os.name", "").startsWith("Linux")) {
      return null;
    }
    switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
      case "amd64":
      case "x86_64":
        return "linux-x86_64";
      case "aarch64":
        return "linux-aarch64";
      default:
        return null;
    }
  }
}
