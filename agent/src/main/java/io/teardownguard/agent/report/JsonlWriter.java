package io.teardownguard.agent.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Writes report lines on its own daemon thread, so that a teardown call never waits for the
 * disk: callers only offer to a bounded queue, and what does not fit (or would pass the size
 * cap) is counted as dropped. The file is created owner-only (0600): it names hosts and code.
 */
final class JsonlWriter {
  private static final int QUEUE_CAPACITY = 8192;
  private static final long CLOSE_WAIT_MILLIS = 2_000;

  private final Path file;
  private final long maxBytes;
  private final BlockingQueue<Supplier<String>> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;

  JsonlWriter(Path file, long maxBytes) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.thread = new Thread(this::run, "teardown-guard-report");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues a line, built on the writer thread; never blocks. */
  void submit(Supplier<String> line) {
    if (!queue.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  long dropped() {
    return dropped.get();
  }

  Path file() {
    return file;
  }

  /**
   * Drains what is queued (bounded in time) and stops; for the exit summary. No interrupt: it
   * would close the file channel under a write.
   */
  void close() {
    closing = true;
    try {
      thread.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Only file I/O here: nothing this thread does reaches the socket hooks. */
  private void run() {
    Writer out = null;
    long bytes = 0;
    List<Supplier<String>> batch = new ArrayList<>();
    try {
      while (!closing || !queue.isEmpty()) {
        if (queue.drainTo(batch) == 0) {
          Supplier<String> next = poll();
          if (next == null) {
            continue;
          }
          batch.add(next);
        }
        if (out == null) {
          out = open(); // on the first line: a JVM that reports nothing leaves no file behind
        }
        for (Supplier<String> line : batch) {
          String text = line.get() + "\n";
          long size = text.getBytes(StandardCharsets.UTF_8).length;
          if (bytes + size > maxBytes) {
            dropped.incrementAndGet();
            continue;
          }
          out.write(text);
          bytes += size;
        }
        batch.clear();
        out.flush();
      }
    } catch (IOException e) {
      System.err.println("teardown-guard: report=" + file + " cannot be written (" + e.getMessage()
          + "); report off, findings still go to the summary");
    } finally {
      closeQuietly(out);
    }
  }

  private static void closeQuietly(Writer out) {
    if (out != null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // Nothing more can be reported about the report.
      }
    }
  }

  private Supplier<String> poll() {
    try {
      return queue.poll(100, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closing = true;
      return null;
    }
  }

  private Writer open() throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    }
    return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
  }
}
