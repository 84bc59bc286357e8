package io.teardownguard.agent.metrics.prometheus;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.teardownguard.agent.config.PrometheusTarget;
import io.teardownguard.agent.metrics.TeardownCounters;
import io.teardownguard.agent.metrics.TeardownMeters;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@code metrics=prometheus:PORT}: the meters in the agent's own (shaded) Micrometer Prometheus
 * registry, whose {@code scrape()} writes the exposition format, answered at {@code /metrics}.
 *
 * <p>One daemon thread accepts; four answer, each one exchange at a time, the request head bounded
 * in size and in time, so that an idle or slow client delays no other scrape for long. All of it
 * runs with the agent's hooks silenced: the JDK's HTTP server would close its connections on
 * threads the agent cannot silence, and every scrape would then count as one of the
 * application's teardowns. The thread is a daemon,
 * so it never keeps the application's JVM alive, and nothing of Micrometer is loaded unless the
 * option is set, and then off the application's start-up path. This package and the relocated
 * Micrometer live in a jar of their own inside the agent's (see {@link
 * io.teardownguard.agent.metrics.PrometheusJar}).
 */
public final class PrometheusEndpoint implements Runnable {
  /** Prometheus' classic text format, what {@link PrometheusMeterRegistry#scrape()} writes. */
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final int MAX_REQUEST_HEAD = 8192;
  /** Time a client has to send its whole request head; Prometheus sends it in one segment. */
  private static final long HEAD_DEADLINE_MILLIS = 5000;
  /** Scrapes answered at once: an idle or slow client holds one worker, for a bounded time. */
  private static final int WORKERS = 4;
  /** Accepted connections waiting for a worker; more are closed at once. */
  private static final int WAITING = 64;
  private static final long ACCEPT_RETRY_MILLIS = 100;

  private final PrometheusTarget target;
  private final TeardownCounters counters;
  private final LongSupplier errorCount;
  private final AtomicLong errors;
  private final PrintStream err;
  private final Executor quiet;
  private final BlockingQueue<Socket> connections = new ArrayBlockingQueue<>(WAITING);
  /** Set before the workers start (Thread.start orders it before their reads). */
  private PrometheusMeterRegistry registry;

  private PrometheusEndpoint(PrometheusTarget target, TeardownCounters counters, LongSupplier errorCount,
      AtomicLong errors, Executor quiet, PrintStream err) {
    this.quiet = quiet;
    this.target = target;
    this.counters = counters;
    this.errorCount = errorCount;
    this.errors = errors;
    this.err = err;
  }

  /**
   * Starts the endpoint's thread; an address that cannot be bound is one line on {@code err}.
   *
   * @param quiet runs a task with the agent's hooks silenced on the calling thread
   * @param errorCount the agent's errors, as exported
   * @param errors where the endpoint counts its own
   */
  public static void start(PrometheusTarget target, TeardownCounters counters, LongSupplier errorCount, AtomicLong errors,
      Executor quiet, PrintStream err) {
    PrometheusEndpoint endpoint = new PrometheusEndpoint(target, counters, errorCount, errors, quiet, err);
    Thread thread = new Thread(new Quietly(quiet, endpoint, errors),
        "teardown-guard-prometheus");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    ServerSocket listener = null;
    try {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getByName(target.host()), target.port()), 16);
    } catch (IOException | RuntimeException e) {
      if (listener != null) {
        close(listener);
      }
      err.println("teardown-guard: metrics: cannot listen on " + target + " (" + e.getMessage()
          + "); no Prometheus endpoint, the application runs on");
      return;
    }
    try {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      TeardownMeters.bind(counters, errorCount, new AgentRegistry(registry));
    } catch (Throwable t) {
      errors.incrementAndGet();
      err.println("teardown-guard: metrics: cannot start the Prometheus endpoint (" + t + "); the application runs on");
      close(listener);
      return;
    }
    for (int i = 0; i < WORKERS; i++) {
      Thread worker = new Thread(new Quietly(quiet, new Worker(), errors), "teardown-guard-prometheus-" + (i + 1));
      worker.setDaemon(true);
      worker.start();
    }
    while (true) {
      Socket connection;
      try {
        connection = listener.accept();
      } catch (IOException e) {
        errors.incrementAndGet(); // out of descriptors, say: pause rather than spin
        pause();
        continue;
      }
      if (!connections.offer(connection)) {
        closeQuietly(connection); // every worker busy and the queue full: this client retries later
      }
    }
  }

  /** Answers connections one after the other; {@link #WORKERS} of them serve at once. */
  private final class Worker implements Runnable {
    @Override
    public void run() {
      while (true) {
        Socket connection;
        try {
          connection = connections.take();
        } catch (InterruptedException e) {
          return;
        }
        try (connection) {
          answer(connection);
        } catch (IOException clientGone) {
          // a scraper that went away, was too slow or sent too much: its problem; the next is served
        } catch (Throwable t) {
          errors.incrementAndGet();
        }
      }
    }
  }

  private static void closeQuietly(Socket connection) {
    try {
      connection.close();
    } catch (IOException ignored) {
      // nothing was read from it or written to it
    }
  }

  private static void pause() {
    try {
      Thread.sleep(ACCEPT_RETRY_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads the request head (bounded), answers {@code GET /metrics} with a scrape, else 404. */
  private void answer(Socket connection) throws IOException {
    String requestLine = readRequestHead(connection, new BufferedInputStream(connection.getInputStream()));
    OutputStream out = connection.getOutputStream();
    String[] parts = requestLine.split(" ");
    boolean scrape = parts.length >= 2 && parts[0].equals("GET")
        && (parts[1].equals("/metrics") || parts[1].startsWith("/metrics?"));
    byte[] body = scrape ? registry.scrape().getBytes(StandardCharsets.UTF_8) : "not found; try /metrics\n".getBytes(
        StandardCharsets.US_ASCII);
    String head = "HTTP/1.1 " + (scrape ? "200 OK" : "404 Not Found") + "\r\nContent-Type: "
        + (scrape ? CONTENT_TYPE : "text/plain") + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  /**
   * Reads up to the blank line that ends the head (a GET has no body, so nothing is left unread
   * when the connection is closed) and returns the request line. The whole head must come within
   * {@link #HEAD_DEADLINE_MILLIS}: a client that sends nothing, or a byte now and then, is cut off
   * then, whatever the pace of its bytes.
   */
  private static String readRequestHead(Socket connection, InputStream in) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEAD_DEADLINE_MILLIS);
    byte[] head = new byte[MAX_REQUEST_HEAD];
    int length = 0;
    while (length < 4 || !(head[length - 4] == '\r' && head[length - 3] == '\n' && head[length - 2] == '\r'
        && head[length - 1] == '\n')) {
      if (length == head.length) {
        throw new IOException("request head over " + MAX_REQUEST_HEAD + " bytes");
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new IOException("request head not complete in " + HEAD_DEADLINE_MILLIS + " ms");
      }
      connection.setSoTimeout((int) left); // NioSocketImpl keeps it in a field: no system call
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before the end of the request head");
      }
      head[length++] = (byte) b;
    }
    String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
    return text.substring(0, text.indexOf("\r\n"));
  }

  private static void close(ServerSocket listener) {
    try {
      listener.close();
    } catch (IOException ignored) {
      // nothing was served on it, nothing is lost
    }
  }

  /** Runs the endpoint through {@code quiet}, so that its sockets never reach the hooks. */
  private static final class Quietly implements Runnable {
    private final Executor quiet;
    private final Runnable work;
    private final AtomicLong errors;

    Quietly(Executor quiet, Runnable work, AtomicLong errors) {
      this.quiet = quiet;
      this.work = work;
      this.errors = errors;
    }

    @Override
    public void run() {
      try {
        quiet.execute(work);
      } catch (Throwable t) {
        errors.incrementAndGet(); // the hooks could not be silenced: serve nothing rather than be counted
      }
    }
  }
}
