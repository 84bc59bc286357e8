package io.teardownguard.agent.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Writes report lines on its own daemon thread, so that a teardown call never waits for the
 * disk: callers only offer to a bounded queue. Every line is either whole in the file or counted
 * as dropped (the queue was full, it would pass the size cap, it could not be built, or the write
 * failed: a full disk, a missing directory); a write that fails part-way is cut back to the last
 * whole line. The file is opened by {@link OwnerOnlyFile} (0600, nothing at the path harmed) and
 * locked: a second process given the same path writes a name of its own and says so.
 */
final class JsonlWriter {
  private static final int QUEUE_CAPACITY = 8192;
  private static final long CLOSE_WAIT_MILLIS = 2_000;

  private final Path requested;
  private final long maxBytes;
  private final BlockingQueue<Supplier<String>> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  /** Every line offered, queued or not. */
  private final AtomicLong submitted = new AtomicLong();
  /** Lines whole in the file. */
  private final AtomicLong written = new AtomicLong();
  /** Lines known lost while the writer runs. */
  private final AtomicLong lost = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;
  /** Set by {@link #close}: from then on every line not whole in the file is lost. */
  private volatile boolean closed;
  /** The file written: the path asked for, or this process's own name beside it. */
  private volatile Path file;
  /** Why lines were lost to I/O (the first reason), or null. */
  private volatile String problem;

  JsonlWriter(Path file, long maxBytes) {
    this.requested = file;
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
    submitted.incrementAndGet();
    if (!queue.offer(line)) {
      lost.incrementAndGet();
    }
  }

  /** Lines not in the report: while running, those known lost; after {@link #close}, all not written. */
  long dropped() {
    return closed ? submitted.get() - written.get() : lost.get();
  }

  /** Lines whole in the file. */
  long written() {
    return written.get();
  }

  /** Whether {@link #close} has returned: no line offered from then on reaches the file. */
  boolean closed() {
    return closed;
  }

  Path file() {
    return file;
  }

  /** Why the report is not complete (the first I/O failure), or null. */
  String problem() {
    return problem;
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
    closed = true;
  }

  /** Only file I/O here: nothing this thread does reaches the socket hooks. */
  private void run() {
    FileChannel out = null;
    boolean unopenable = false;
    long bytes = 0;
    List<Supplier<String>> batch = new ArrayList<>();
    try {
      while ((!closing || !queue.isEmpty()) && !closed) {
        if (queue.drainTo(batch) == 0) {
          Supplier<String> next = poll();
          if (next == null) {
            continue;
          }
          batch.add(next);
        }
        if (out == null && !unopenable) {
          try {
            out = open(); // on the first line: a JVM that reports nothing leaves no file behind
          } catch (IOException e) {
            unopenable = true;
            failed(e);
          }
        }
        if (out == null) {
          lost.addAndGet(batch.size());
        } else {
          bytes = write(out, batch, bytes);
        }
        batch.clear();
      }
    } finally {
      closeQuietly(out);
    }
  }

  /**
   * Writes the batch in one go; returns the file's new length. What the kernel took of a failed
   * write is cut back to the last whole line (ftruncate), so the file never ends mid-line.
   */
  private long write(FileChannel out, List<Supplier<String>> batch, long bytes) {
    List<byte[]> lines = new ArrayList<>(batch.size());
    long size = 0;
    for (Supplier<String> line : batch) {
      byte[] text;
      try {
        text = (line.get() + "\n").getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        lost.incrementAndGet(); // a line that could not be built; the next ones still are
        continue;
      }
      if (bytes + size + text.length > maxBytes) {
        lost.incrementAndGet();
        continue;
      }
      lines.add(text);
      size += text.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, Integer.MAX_VALUE));
    for (byte[] text : lines) {
      buffer.put(text);
    }
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      written.addAndGet(lines.size());
      return bytes + size;
    } catch (IOException e) {
      long whole = 0;
      int wholeLines = 0;
      for (byte[] text : lines) {
        if (whole + text.length > buffer.position()) {
          break;
        }
        whole += text.length;
        wholeLines++;
      }
      try {
        out.truncate(bytes + whole);
      } catch (IOException cannotCut) {
        e.addSuppressed(cannotCut);
      }
      written.addAndGet(wholeLines);
      lost.addAndGet(lines.size() - wholeLines);
      failed(e);
      return bytes + whole;
    }
  }

  /** The first failure is one line on stderr; every line it costs is counted for the summary. */
  private void failed(IOException e) {
    if (problem == null) {
      problem = OwnerOnlyFile.reason(e);
      System.err.println("teardown-guard: report=" + file + " cannot be written (" + problem
          + "); the lines not written are counted in the summary");
    }
  }

  /**
   * Opens the report and locks it (fcntl), then empties it: the report of an earlier run is
   * replaced, the report another running process holds is not touched.
   */
  private FileChannel open() throws IOException {
    FileChannel channel = OwnerOnlyFile.open(requested);
    if (!locked(channel)) {
      channel.close();
      Path own = perProcess(requested);
      System.err.println("teardown-guard: report=" + requested + " is being written by another process; this one"
          + " writes " + own);
      file = own;
      channel = OwnerOnlyFile.open(own);
      if (!locked(channel)) {
        channel.close();
        throw new IOException(own + " is also being written by another process");
      }
    }
    channel.truncate(0);
    return channel;
  }

  /** Whether this process now holds the lock; true also where locks are not supported (ENOLCK). */
  private static boolean locked(FileChannel channel) {
    try {
      return channel.tryLock() != null;
    } catch (IOException unsupported) {
      return true;
    }
  }

  /** {@code r.jsonl} becomes {@code r.<pid>.jsonl}. */
  static Path perProcess(Path path) {
    String name = path.getFileName().toString();
    String pid = Long.toString(ProcessHandle.current().pid());
    int dot = name.lastIndexOf('.');
    String own = dot > 0 ? name.substring(0, dot) + "." + pid + name.substring(dot) : name + "." + pid;
    return path.resolveSibling(own);
  }

  private static void closeQuietly(FileChannel out) {
    if (out != null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // Every line was written or counted before this: nothing more is lost.
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
}
