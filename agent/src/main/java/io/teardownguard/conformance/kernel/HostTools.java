package io.teardownguard.conformance.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Host checks shared by the kernel oracles: where a tool lives and whether we run as root. */
final class HostTools {

  /**
   * Searched after PATH because root's tools live in sbin directories that a non-login shell's
   * PATH (or a container's) often leaves out.
   */
  private static final List<String> FALLBACK_DIRECTORIES =
      List.of("/usr/bin", "/usr/sbin", "/sbin", "/bin");

  private static final long COMMAND_TIMEOUT_SECONDS = 10;

  private HostTools() {}

  /**
   * Runs a short administrative command (ip, tc, nsenter) to completion; an IOException carries
   * its exit status and stderr when it fails.
   */
  static void run(List<String> command) throws IOException {
    List<String> resolved = new ArrayList<>(command);
    resolved.set(0, findExecutable(command.get(0))
        .orElseThrow(() -> new IOException(command.get(0) + " not found"))
        .toString());
    Process process = new ProcessBuilder(resolved).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for " + String.join(" ", command), e);
    }
    if (process.exitValue() != 0) {
      // Read only after exit: these tools write one short line at most, far below the pipe's
      // capacity, so they cannot block on a full stderr pipe before exiting.
      String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + stderr.trim());
    }
  }

  /** The absolute path of an executable named {@code name}, searching PATH then the fallbacks. */
  static Optional<Path> findExecutable(String name) {
    List<String> directories = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      directories.addAll(List.of(path.split(File.pathSeparator)));
    }
    directories.addAll(FALLBACK_DIRECTORIES);
    for (String directory : directories) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, name).toAbsolutePath();
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Empty when the effective uid is 0, else why not. Reads the effective uid (second field of the
   * {@code Uid:} line, fs/proc/array.c task_state) because that is what the kernel checks for
   * CAP_SYS_ADMIN (unshare) and CAP_NET_RAW (packet capture).
   */
  static Optional<String> notRootReason() {
    List<String> status;
    try {
      status = Files.readAllLines(Path.of("/proc/self/status"));
    } catch (IOException e) {
      return Optional.of("cannot read /proc/self/status: " + e.getMessage());
    }
    for (String line : status) {
      if (line.startsWith("Uid:")) {
        String effectiveUid = line.trim().split("\\s+")[2];
        return effectiveUid.equals("0")
            ? Optional.empty()
            : Optional.of("not root (uid " + effectiveUid + ")");
      }
    }
    return Optional.of("no Uid line in /proc/self/status");
  }
}
