package io.teardownguard.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The report file: what is at its path is never harmed, and every line is whole or counted. */
@Timeout(60)
final class JsonlWriterTest {
  @TempDir
  Path dir;

  /** Writes {@code count} lines of about 100 bytes and closes the writer. */
  private static JsonlWriter writeLines(Path file, int count) {
    JsonlWriter writer = new JsonlWriter(file, Long.MAX_VALUE);
    writer.start();
    for (int i = 0; i < count; i++) {
      int n = i;
      writer.submit(() -> "{\"type\":\"finding\",\"n\":" + n + ",\"pad\":\"" + "x".repeat(70) + "\"}");
    }
    writer.close();
    return writer;
  }

  @Test
  void anExistingReportIsReplacedAndMadeOwnerOnly() throws IOException {
    Path file = dir.resolve("r.jsonl");
    Files.writeString(file, "an earlier run's line\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    JsonlWriter writer = writeLines(file, 3);

    assertEquals(3, Files.readAllLines(file).size());
    assertTrue(Files.readString(file).startsWith("{\"type\":\"finding\",\"n\":0"), Files.readString(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(0, writer.dropped());
    assertNull(writer.problem());
  }

  @Test
  void aSymbolicLinkIsRefusedNotFollowedAndNotDeleted() throws IOException {
    Path target = Files.writeString(dir.resolve("precious.txt"), "keep me\n");
    Path link = Files.createSymbolicLink(dir.resolve("r.jsonl"), target);

    JsonlWriter writer = writeLines(link, 2);

    assertTrue(Files.isSymbolicLink(link), "the link is still there");
    assertEquals("keep me\n", Files.readString(target));
    assertEquals(2, writer.dropped());
    assertEquals("it is a symbolic link, not a regular file; left as it is", writer.problem());
  }

  @Test
  void aDirectoryIsRefusedAndNotDeleted() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("r.jsonl"));

    JsonlWriter writer = writeLines(empty, 1);

    assertTrue(Files.isDirectory(empty, LinkOption.NOFOLLOW_LINKS));
    assertEquals(1, writer.dropped());
    assertEquals("it is a directory, not a regular file; left as it is", writer.problem());
  }

  /** A FIFO stands for /dev/null and /dev/stdout: a test must not risk the machine's own devices. */
  @Test
  void aFifoIsRefusedAndNotDeletedNorOpened() throws Exception {
    Path fifo = dir.resolve("r.jsonl");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");

    JsonlWriter writer = writeLines(fifo, 1);

    assertTrue(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS));
    assertEquals(1, writer.dropped());
    assertEquals("it is a device, FIFO or socket, not a regular file; left as it is", writer.problem());
  }

  @Test
  void aMissingDirectoryCountsEveryLineAndSaysWhy() {
    JsonlWriter writer = writeLines(dir.resolve("no-such-dir/r.jsonl"), 5);

    assertEquals(5, writer.dropped());
    assertEquals("No such file or directory", writer.problem());
  }

  @Test
  void aPathUnderProcCountsEveryLine() {
    JsonlWriter writer = writeLines(Path.of("/proc/teardown-guard-test/r.jsonl"), 4);

    assertEquals(4, writer.dropped());
    assertTrue(writer.problem() != null);
  }

  @Test
  void aLineThatCannotBeBuiltIsCountedAndTheReportGoesOn() throws IOException {
    Path file = dir.resolve("r.jsonl");
    JsonlWriter writer = new JsonlWriter(file, Long.MAX_VALUE);
    writer.start();
    writer.submit(() -> "{\"n\":1}");
    writer.submit(() -> {
      throw new IllegalStateException("a broken line");
    });
    writer.submit(() -> "{\"n\":3,\"thread\":\"" + ReportJson.escapeLoneSurrogates("a\uD800b") + "\"}");
    writer.close();

    assertEquals(List.of("{\"n\":1}", "{\"n\":3,\"thread\":\"a\\uD800b\"}"), Files.readAllLines(file));
    assertEquals(1, writer.dropped());
  }

  /**
   * A full disk: a 16 KiB tmpfs mounted for the test (root only). Every line in the file is
   * whole, and lines in the file plus lines dropped are all the lines.
   */
  @Test
  void aFullDiskLeavesOnlyWholeLinesAndCountsEveryOtherOne() throws Exception {
    assumeTrue(runningAsRoot(), "needs root to mount a 16 KiB tmpfs; skipped");
    Path mount = Files.createDirectory(dir.resolve("tiny"));
    run("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", mount.toString());
    try {
      Path file = mount.resolve("r.jsonl");

      JsonlWriter writer = writeLines(file, 2000);

      String text = Files.readString(file, StandardCharsets.UTF_8);
      List<String> lines = text.lines().toList();
      assertTrue(text.endsWith("\n"), "the file ends with a whole line");
      for (String line : lines) {
        assertTrue(line.matches("\\{\"type\":\"finding\",\"n\":\\d+,\"pad\":\"x{70}\"}"), line);
      }
      assertTrue(lines.size() > 0 && lines.size() < 2000, lines.size() + " lines");
      assertEquals(2000, lines.size() + writer.dropped());
      assertEquals("No space left on device", writer.problem());
    } finally {
      run("umount", mount.toString());
    }
  }

  @Test
  void aPerProcessNameKeepsTheExtension() {
    String pid = Long.toString(ProcessHandle.current().pid());
    assertEquals(Path.of("/tmp/r." + pid + ".jsonl"), JsonlWriter.perProcess(Path.of("/tmp/r.jsonl")));
    assertEquals(Path.of("/tmp/report." + pid), JsonlWriter.perProcess(Path.of("/tmp/report")));
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), String.join(" ", command));
    assertEquals(0, process.exitValue(), String.join(" ", command));
  }

  private static boolean runningAsRoot() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("Uid:"))
        .anyMatch(line -> line.split("\\s+")[2].equals("0"));
  }
}
