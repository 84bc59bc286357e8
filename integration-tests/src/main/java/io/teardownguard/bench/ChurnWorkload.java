package io.teardownguard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The measured program: connection churn on loopback, run in a child JVM with or without the
 * agent. Lines on stdout are for {@link Benchmarks} to read:
 *
 * <pre>
 * --role both (default): server thread and client in this JVM; the agent sees both closes
 *   timed:   --warmup S --seconds S        -> "churn connections=N nanos=T cpuNanos=C"
 *   counted: --connections N --heap-every M -> "heap connections=K used=BYTES" every M, then "churn ..."
 * --role client --port P: the client alone, against a server in another JVM (timed only)
 * --role server: "listening port=P", serves until stdin closes or --max-seconds pass,
 *   then "served connections=N"
 * --sources K: bind clients to 127.0.0.2 .. 127.0.0.(1+K) in turn (0: no bind)
 * </pre>
 *
 * Exits 1 with one line on stderr if any connection fails, 2 on bad options.
 */
public final class ChurnWorkload {
  private static final Set<String> FLAGS =
      Set.of("role", "warmup", "seconds", "connections", "heap-every", "sources", "port", "max-seconds");

  private ChurnWorkload() {}

  public static void main(String[] args) throws InterruptedException {
    try {
      Flags flags = Flags.parse(args, FLAGS);
      switch (flags.choice("role", "both", Set.of("both", "client", "server"))) {
        case "server" -> serve(flags);
        case "client" -> runClient(flags);
        default -> runBoth(flags);
      }
    } catch (Flags.BadFlagException e) {
      System.err.println("churn: " + e.getMessage());
      System.exit(2);
    } catch (IOException e) {
      System.err.println("churn: " + e);
      System.exit(1);
    }
  }

  private static void runBoth(Flags flags) throws IOException {
    try (ChurnServer server = new ChurnServer()) {
      ChurnClient client = new ChurnClient(server.address(), sources(flags));
      try {
        if (flags.has("connections")) {
          counted(flags, client);
        } else {
          timed(flags, client);
        }
      } catch (IOException e) {
        // A client failure is often the server's: name both.
        throw new IOException(e + (server.errors() > 0 ? "; server: " + server.firstError() : ""), e);
      }
      if (server.errors() > 0) {
        throw new IOException("the server failed " + server.errors() + " time(s), first: " + server.firstError());
      }
    }
  }

  private static void runClient(Flags flags) throws IOException {
    if (!flags.has("port")) {
      throw new Flags.BadFlagException("--port: required with --role client");
    }
    InetSocketAddress server = new InetSocketAddress(ChurnProtocol.serverAddress(), flags.integer("port", 0, 1, 65535));
    timed(flags, new ChurnClient(server, sources(flags)));
  }

  private static int sources(Flags flags) {
    return flags.integer("sources", 0, 0, ChurnProtocol.MAX_SOURCES);
  }

  /** Cycles for the warm-up (not counted), then counts the cycles of the measured window. */
  private static void timed(Flags flags, ChurnClient client) throws IOException {
    long warmupNanos = TimeUnit.SECONDS.toNanos(flags.integer("warmup", 5, 0, 3600));
    long windowNanos = TimeUnit.SECONDS.toNanos(flags.integer("seconds", 5, 1, 3600));
    long warmupEnd = System.nanoTime() + warmupNanos;
    while (System.nanoTime() < warmupEnd) {
      client.cycle();
    }
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    long end = start + windowNanos;
    long connections = 0;
    long now = start;
    while (now < end) {
      client.cycle();
      connections++;
      now = System.nanoTime();
    }
    long cpu = processCpuNanos() - cpuStart;
    System.out.println("churn connections=" + connections + " nanos=" + (now - start) + " cpuNanos=" + cpu);
  }

  /**
   * CPU time of the whole process (every thread, user and system), in clock ticks of 10 ms:
   * less disturbed by other work on the machine than throughput, which also counts waiting.
   */
  private static long processCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** A fixed number of cycles, with the used heap after a full GC every {@code heap-every}. */
  private static void counted(Flags flags, ChurnClient client) throws IOException {
    long total = flags.number("connections", 0, 1, 100_000_000);
    long every = flags.number("heap-every", Math.max(1, total / 10), 1, total);
    System.out.println("heap connections=0 used=" + usedHeapAfterGc());
    long start = System.nanoTime();
    for (long done = 1; done <= total; done++) {
      client.cycle();
      if (done % every == 0) {
        System.out.println("heap connections=" + done + " used=" + usedHeapAfterGc());
      }
    }
    System.out.println("churn connections=" + total + " nanos=" + (System.nanoTime() - start));
  }

  /** Live heap: System.gc() is a full collection under the default collector (G1). */
  private static long usedHeapAfterGc() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** Serves other JVMs' clients until stdin reaches EOF (the harness closes it) or time runs out. */
  private static void serve(Flags flags) throws IOException, InterruptedException {
    int maxSeconds = flags.integer("max-seconds", 600, 1, 86_400);
    CountDownLatch stdinClosed = new CountDownLatch(1);
    Thread watcher = new Thread(() -> awaitEof(System.in, stdinClosed), "stdin-watcher");
    watcher.setDaemon(true);
    watcher.start();
    ChurnServer server = new ChurnServer();
    boolean released;
    try {
      System.out.println("listening port=" + server.address().getPort());
      System.out.flush();
      released = stdinClosed.await(maxSeconds, TimeUnit.SECONDS);
    } finally {
      server.close();
    }
    System.out.println("served connections=" + server.served() + " errors=" + server.errors());
    if (!released) {
      System.err.println("churn: stdin still open after --max-seconds " + maxSeconds + "; stopped");
    }
    if (server.errors() > 0) {
      throw new IOException("the server failed " + server.errors() + " time(s), first: " + server.firstError());
    }
  }

  private static void awaitEof(InputStream in, CountDownLatch eof) {
    try {
      byte[] discard = new byte[256];
      while (in.read(discard) >= 0) {
        // nothing is sent; any bytes are ignored until EOF
      }
    } catch (IOException e) {
      // a broken stdin counts as closed
    } finally {
      eof.countDown();
    }
  }
}
