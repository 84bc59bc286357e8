package io.teardownguard.conformance.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TCP segments on {@code lo}, as tcpdump prints them, split into intervals by {@link #mark()}.
 *
 * <p>Why marks order correctly: a packet socket sees loopback traffic in dev_queue_xmit_nit
 * (net/core/dev.c), called in the sender's own context from dev_hard_start_xmit before
 * loopback_xmit queues the packet for receive. So the packets one thread sends are captured in the
 * order it sent them, and a marker datagram sent after a segment is printed after it. Caveat:
 * segments the peer sends in reply (an ACK, a RST answering data) are produced while the NET_RX
 * softirq processes the received packet; that normally runs before the sending syscall returns
 * (do_softirq from local_bh_enable in __dev_queue_xmit) but can be deferred to ksoftirqd, so mark
 * after observing a reply's effect (say, the read that fails with the reset) when it must be
 * inside the interval. Segments held back by timers (delayed ACK, retransmission) are not sent
 * before they fire.
 */
public final class WireCapture implements AutoCloseable {

  /** The TCP flags the conformance suite reasons about. */
  public enum TcpFlag {
    SYN,
    FIN,
    RST,
    PSH,
    ACK
  }

  /**
   * One captured TCP segment; addresses are "ip:port"; {@code sequence} and {@code acknowledgement}
   * are tcpdump's absolute numbers (-S), or {@link #NO_NUMBER} where the line prints none (a pure
   * ACK has no "seq", a segment without the ACK flag no "ack").
   */
  public record Segment(
      String source, String destination, Set<TcpFlag> flags, int payloadLength, long sequence,
      long acknowledgement) {

    public static final long NO_NUMBER = -1;

    public Segment {
      EnumSet<TcpFlag> copy = EnumSet.noneOf(TcpFlag.class);
      copy.addAll(flags);
      flags = Collections.unmodifiableSet(copy);
    }

    public boolean has(TcpFlag flag) {
      return flags.contains(flag);
    }
  }

  /** A point in the capture: the number of TCP segments captured before it. */
  public record Mark(int index) {}

  /** One of our marker datagrams as seen by tcpdump, with the segment count at that moment. */
  private record Marker(int payloadLength, int segmentIndex) {}

  /**
   * TCP, plus the marker datagrams: UDP to the discard port, which nothing here listens on. Each
   * marker thus moves the Ip, Udp (NoPorts) and Icmp (port unreachable) counters, never Tcp's.
   */
  private static final String FILTER = "tcp or (udp and dst port 9)";

  private static final int MARKER_PORT = 9;
  private static final InetSocketAddress MARKER_DESTINATION =
      new InetSocketAddress("127.0.0.1", MARKER_PORT);
  /** Marker payload lengths cycle through 1..MAX so that consecutive marks never look alike. */
  private static final int MAX_MARKER_LENGTH = 1400;

  private static final long LIVE_TIMEOUT_MILLIS = 10_000;
  private static final long LIVE_POLL_MILLIS = 250;
  private static final long MARK_TIMEOUT_MILLIS = 5_000;
  private static final long EXIT_TIMEOUT_SECONDS = 5;
  private static final long STDERR_JOIN_MILLIS = 1_000;
  private static final int MAX_STDERR_CHARS = 8_192;

  /**
   * What tcpdump prints between the time stamp and "IP": nothing on one interface; with {@code -i
   * any}, the interface and the direction ("tgl0  Out ", "lo    In  ").
   */
  private static final String INTERFACE = "(?:\\S+\\s+(?:In|Out|M|P|B)\\s+)?";

  /** "1764401234.123456 IP 127.0.0.1.48072 > 127.0.0.20.8000: Flags [R.], seq 1, ..., length 0". */
  private static final Pattern TCP_LINE =
      Pattern.compile("^\\S+ " + INTERFACE + "IP ([\\d.]+) > ([\\d.]+): Flags \\[([^\\]]*)\\].*?, length (\\d+)");

  /** ", seq 1253:1284" or ", seq 1284": the first number is the segment's sequence number. */
  private static final Pattern SEQUENCE = Pattern.compile(", seq (\\d+)");
  private static final Pattern ACKNOWLEDGEMENT = Pattern.compile(", ack (\\d+)");

  private static final Pattern FIN_SEQUENCE =
      Pattern.compile("IP ([\\d.]+) > [\\d.]+: Flags \\[[^\\]]*\\], seq (\\d+)(?::(\\d+))?");

  /** "1764401234.1 IP 127.0.0.1.40000 > 127.0.0.1.9: UDP, length 17". */
  private static final Pattern MARKER_LINE =
      Pattern.compile("^\\S+ " + INTERFACE + "IP ([\\d.]+) > [\\d.]+\\." + MARKER_PORT + ": UDP, length (\\d+)$");

  private final Process tcpdump;
  private final DatagramSocket markerSocket;
  /** Our marker socket's address as parseLine formats it; other senders' datagrams are ignored. */
  private final String markerSource;
  private final Thread stderrReader;

  private final Object lock = new Object();
  private final List<Segment> segments = new ArrayList<>();
  private final List<Marker> markers = new ArrayList<>();
  /**
   * Each FIN once, by source and sequence number: a FIN the peer has not acknowledged yet (its ACK
   * delayed, as after a TLS exchange) is sent again by the tail loss probe (tcp_send_loss_probe())
   * or the retransmission timer, 10 ms or more later, with the same sequence number.
   */
  private final Set<String> finsSent = new HashSet<>();
  private final StringBuilder stderr = new StringBuilder();
  private int markerSearchFrom;
  private boolean stdoutClosed;

  private int nextMarkerLength = 1;

  private WireCapture(Process tcpdump, DatagramSocket markerSocket) {
    this.tcpdump = tcpdump;
    this.markerSocket = markerSocket;
    this.markerSource = "127.0.0.1:" + markerSocket.getLocalPort();
    this.stderrReader = new Thread(this::readStderr, "tcpdump-stderr");
  }

  /** Empty when {@link #start()} can work here, else why not. */
  public static Optional<String> unavailableReason() {
    if (HostTools.findExecutable("tcpdump").isEmpty()) {
      return Optional.of("tcpdump not installed: apt-get install tcpdump");
    }
    return HostTools.notRootReason();
  }

  /** Starts tcpdump on {@code lo} and returns once it is provably capturing. */
  public static WireCapture start() throws IOException {
    return start("lo");
  }

  /**
   * Starts tcpdump on {@code device} and returns once it is provably capturing. The markers go
   * over {@code lo}, so the device must be {@code lo} or {@code any}. On {@code any} with a link
   * whose egress is shaped, a marker still orders correctly: a packet socket sees a shaped
   * segment when the qdisc releases it (dev_hard_start_xmit), and the marker when it is sent, so a
   * mark is "what has left so far", and a marker never waits behind queued data.
   */
  public static WireCapture start(String device) throws IOException {
    Optional<String> unavailable = unavailableReason();
    if (unavailable.isPresent()) {
      throw new IOException("cannot capture: " + unavailable.get());
    }
    String tcpdumpPath = HostTools.findExecutable("tcpdump").orElseThrow().toString();
    DatagramSocket markerSocket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    Process tcpdump;
    try {
      // -nn: no DNS or port-name lookups, which would stall output. -l -U: flush each line.
      // --immediate-mode: libpcap hands over each packet at once instead of per TPACKET_V3 block.
      // -S: absolute sequence numbers, so a line does not depend on tcpdump having seen the SYN.
      // -s 160: headers only (link 14, or 20 for the cooked header of "any", + IPv4 up to 60 +
      // TCP up to 60 bytes are within 160, and the printed "length" comes from the IP header, not
      // from what was captured); -B 16384:
      // a 16 MiB kernel buffer. With full payloads and the default 2 MiB, a busy server's
      // segments were dropped by the kernel before tcpdump read them (the field suite's
      // netty-busy-server: FINs the endpoints sent missing from the capture).
      tcpdump =
          new ProcessBuilder(
                  tcpdumpPath, "-i", device, "-nn", "-l", "-U", "--immediate-mode", "-tt", "-S",
                  "-s", "160", "-B", "16384", FILTER)
              .start();
    } catch (IOException e) {
      markerSocket.close();
      throw e;
    }
    WireCapture capture = new WireCapture(tcpdump, markerSocket);
    try {
      capture.startReaders();
      capture.awaitLive();
    } catch (IOException | RuntimeException e) {
      capture.close();
      throw e;
    }
    return capture;
  }

  /**
   * Sends a marker datagram and waits until tcpdump has printed it; every segment the kernel
   * transmitted before this call (for replies see the class comment) is then before the mark.
   */
  public synchronized Mark mark() throws IOException {
    int length = sendMarker();
    Optional<Mark> mark = awaitMarker(length, MARK_TIMEOUT_MILLIS);
    if (mark.isEmpty()) {
      throw failure("marker datagram of length " + length + " not captured within "
          + MARK_TIMEOUT_MILLIS + " ms");
    }
    return mark.get();
  }

  /** The TCP segments captured after {@code from} and before {@code to}, in capture order. */
  public List<Segment> between(Mark from, Mark to) {
    if (from.index() > to.index()) {
      throw new IllegalArgumentException("mark " + from + " is after " + to);
    }
    synchronized (lock) {
      return List.copyOf(segments.subList(from.index(), to.index()));
    }
  }

  @Override
  public void close() {
    tcpdump.destroy();
    try {
      if (!tcpdump.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        tcpdump.destroyForcibly();
        tcpdump.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      tcpdump.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      markerSocket.close();
    }
  }

  /** The segment a tcpdump output line describes; empty for UDP, markers and anything else. */
  static Optional<Segment> parseLine(String line) {
    Matcher matcher = TCP_LINE.matcher(line);
    if (!matcher.find()) {
      return Optional.empty();
    }
    return Optional.of(
        new Segment(
            endpoint(matcher.group(1)),
            endpoint(matcher.group(2)),
            parseFlags(matcher.group(3)),
            Integer.parseInt(matcher.group(4)),
            number(SEQUENCE, line),
            number(ACKNOWLEDGEMENT, line)));
  }

  private static long number(Pattern pattern, String line) {
    Matcher matcher = pattern.matcher(line);
    return matcher.find() ? Long.parseLong(matcher.group(1)) : Segment.NO_NUMBER;
  }

  /**
   * "source seq" of a FIN line: the FIN's sequence number is the end of the payload it rides on
   * ("seq 1253:1284" with -S absolute numbers), or the segment's own ("seq 1284") when it has none.
   */
  static String finSequence(String line) {
    Matcher matcher = FIN_SEQUENCE.matcher(line);
    return matcher.find() ? matcher.group(1) + " " + (matcher.group(3) != null ? matcher.group(3) : matcher.group(2))
        : line;
  }

  /** The payload length of a marker datagram line sent from {@code source} ("ip:port"). */
  static OptionalInt parseMarkerLength(String line, String source) {
    Matcher matcher = MARKER_LINE.matcher(line);
    if (!matcher.find() || !endpoint(matcher.group(1)).equals(source)) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(matcher.group(2)));
  }

  /** tcpdump prints "127.0.0.1.48072"; the last dot separates the port. */
  private static String endpoint(String tcpdumpAddress) {
    int lastDot = tcpdumpAddress.lastIndexOf('.');
    return tcpdumpAddress.substring(0, lastDot) + ":" + tcpdumpAddress.substring(lastDot + 1);
  }

  /**
   * tcpdump's flag letters (print-tcp.c tcp_flag_values): S, F, R, P, and "." for ACK. U, E, W
   * (urgent, ECN) and the "none" printed for a flagless segment map to no {@link TcpFlag}.
   */
  private static Set<TcpFlag> parseFlags(String letters) {
    EnumSet<TcpFlag> flags = EnumSet.noneOf(TcpFlag.class);
    for (char letter : letters.toCharArray()) {
      switch (letter) {
        case 'S' -> flags.add(TcpFlag.SYN);
        case 'F' -> flags.add(TcpFlag.FIN);
        case 'R' -> flags.add(TcpFlag.RST);
        case 'P' -> flags.add(TcpFlag.PSH);
        case '.' -> flags.add(TcpFlag.ACK);
        default -> {}
      }
    }
    return flags;
  }

  private void startReaders() {
    Thread stdoutReader = new Thread(this::readStdout, "tcpdump-stdout");
    stdoutReader.setDaemon(true);
    stderrReader.setDaemon(true);
    stdoutReader.start();
    stderrReader.start();
  }

  /**
   * Sends marker datagrams until one is captured: tcpdump opens its packet socket some time after
   * the process starts, and markers sent before that are simply never seen.
   */
  private synchronized void awaitLive() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIVE_TIMEOUT_MILLIS);
    while (System.nanoTime() < deadline) {
      if (!tcpdump.isAlive()) {
        throw failure("tcpdump exited with status " + tcpdump.exitValue());
      }
      if (awaitMarker(sendMarker(), LIVE_POLL_MILLIS).isPresent()) {
        return;
      }
    }
    throw failure("tcpdump did not capture on lo within " + LIVE_TIMEOUT_MILLIS + " ms");
  }

  private int sendMarker() throws IOException {
    int length = nextMarkerLength;
    nextMarkerLength = length % MAX_MARKER_LENGTH + 1;
    markerSocket.send(new DatagramPacket(new byte[length], length, MARKER_DESTINATION));
    return length;
  }

  /**
   * Waits for the marker of this length. Only the newest marker is ever awaited, so markers
   * scanned past (older ones that arrived late) are never wanted again.
   */
  private Optional<Mark> awaitMarker(int length, long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    synchronized (lock) {
      while (true) {
        while (markerSearchFrom < markers.size()) {
          Marker marker = markers.get(markerSearchFrom++);
          if (marker.payloadLength() == length) {
            return Optional.of(new Mark(marker.segmentIndex()));
          }
        }
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMillis <= 0 || stdoutClosed) {
          return Optional.empty();
        }
        try {
          lock.wait(remainingMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted waiting for a capture marker");
        }
      }
    }
  }

  private void readStdout() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(tcpdump.getInputStream(), StandardCharsets.ISO_8859_1))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        collect(line);
      }
    } catch (IOException e) {
      // The pipe breaks when close() kills tcpdump; nothing more will be captured either way.
    } finally {
      synchronized (lock) {
        stdoutClosed = true;
        lock.notifyAll();
      }
    }
  }

  private void collect(String line) {
    Optional<Segment> segment = parseLine(line);
    synchronized (lock) {
      if (segment.isPresent() && segment.get().has(TcpFlag.FIN) && !finsSent.add(finSequence(line))) {
        return; // the same FIN sent again: one teardown segment
      }
      if (segment.isPresent()) {
        segments.add(segment.get());
        return;
      }
      OptionalInt markerLength = parseMarkerLength(line, markerSource);
      if (markerLength.isPresent()) {
        markers.add(new Marker(markerLength.getAsInt(), segments.size()));
        lock.notifyAll();
      }
    }
  }

  private void readStderr() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(tcpdump.getErrorStream(), StandardCharsets.ISO_8859_1))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        synchronized (lock) {
          if (stderr.length() < MAX_STDERR_CHARS) {
            stderr.append(line).append('\n');
          }
        }
      }
    } catch (IOException e) {
      // As for stdout: tcpdump is gone, and what it said so far is kept.
    }
  }

  /** An IOException carrying tcpdump's stderr, complete if tcpdump has exited. */
  private IOException failure(String what) {
    if (!tcpdump.isAlive()) {
      try {
        stderrReader.join(STDERR_JOIN_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (lock) {
      return new IOException(what + "; tcpdump stderr: " + stderr.toString().trim());
    }
  }
}
