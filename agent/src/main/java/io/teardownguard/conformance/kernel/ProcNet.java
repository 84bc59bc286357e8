package io.teardownguard.conformance.kernel;

import io.teardownguard.model.TcpState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's view of the current network namespace: the TCP socket tables and the SNMP and
 * extended counters. /proc/net is per namespace (it follows the reading task's namespace), so in
 * a private namespace these hold only the suite's own sockets and traffic.
 */
public final class ProcNet {

  /**
   * One row of /proc/net/tcp.
   *
   * <p>The queues mean different things per kind of row (net/ipv4/tcp_ipv4.c):
   *
   * <ul>
   *   <li>full sockets (get_tcp4_sock): {@code txQueue} is write_seq - snd_una (sent or queued,
   *       not yet acknowledged); {@code rxQueue} is rcv_nxt - copied_seq (received, not yet read),
   *       which counts a received FIN as one byte until the application reads end of stream
   *       (tcp_recvmsg steps copied_seq past it then). For LISTEN, {@code rxQueue} is sk_ack_backlog, the accept-queue length.
   *   <li>TIME_WAIT minisockets (get_timewait4_sock): both queues are 0, and the state printed
   *       is the minisocket's substate, FIN_WAIT2 or TIME_WAIT.
   *   <li>request sockets (get_openreq4): printed as SYN_RECV, queues 0.
   * </ul>
   */
  public record TcpSocket(
      InetSocketAddress local,
      InetSocketAddress remote,
      TcpState state,
      long txQueue,
      long rxQueue) {}

  /**
   * Java's sockets are AF_INET6 unless java.net.preferIPv4Stack is set, so a Java socket talking
   * to 127.0.0.1 is listed in tcp6 under its v4-mapped address (::ffff:127.0.0.1), not in tcp.
   */
  private static final List<String> TCP_TABLES = List.of("tcp", "tcp6");
  private static final Path OWN_NAMESPACE = Path.of("/proc/net");
  private static final List<Path> COUNTER_FILES =
      List.of(Path.of("/proc/net/netstat"), Path.of("/proc/net/snmp"));

  private ProcNet() {}

  /**
   * The TCP sockets of the current network namespace, from /proc/net/tcp then /proc/net/tcp6.
   * v4-mapped addresses come back as plain IPv4 ones (InetAddress.getByAddress converts them), so
   * a Java socket on 127.0.0.1 matches {@code new InetSocketAddress("127.0.0.1", port)}.
   */
  public static List<TcpSocket> tcpSockets() throws IOException {
    return tcpSockets(OWN_NAMESPACE);
  }

  /**
   * The TCP sockets of another process's network namespace: {@code /proc/PID/net} shows the
   * namespace of that process, not the reader's.
   */
  public static List<TcpSocket> tcpSocketsOf(long pid) throws IOException {
    return tcpSockets(Path.of("/proc", Long.toString(pid), "net"));
  }

  private static List<TcpSocket> tcpSockets(Path procNet) throws IOException {
    // parseTcp decodes addresses as a little-endian host prints them; see decodeAddress.
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new IOException("/proc/net/tcp decoding assumes a little-endian host");
    }
    List<TcpSocket> sockets = new ArrayList<>();
    for (String name : TCP_TABLES) {
      Path table = procNet.resolve(name);
      // tcp6 is absent when the kernel runs without IPv6.
      if (Files.exists(table)) {
        sockets.addAll(parseTcp(Files.readAllLines(table)));
      }
    }
    return Collections.unmodifiableList(sockets);
  }

  /**
   * Every counter of /proc/net/netstat and /proc/net/snmp, keyed "Section.Name" (for example
   * "TcpExt.TCPAbortOnClose", "Tcp.OutRsts"), in file order.
   */
  public static Map<String, Long> counters() throws IOException {
    Map<String, Long> counters = new LinkedHashMap<>();
    for (Path file : COUNTER_FILES) {
      counters.putAll(parseCounterPairs(Files.readAllLines(file)));
    }
    return Collections.unmodifiableMap(counters);
  }

  /**
   * after - before for each counter whose value changed; a counter missing on one side counts as
   * 0 there (IcmpMsg columns, for instance, appear only once their message type has been seen).
   */
  public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Set<String> names = new LinkedHashSet<>(before.keySet());
    names.addAll(after.keySet());
    Map<String, Long> changed = new LinkedHashMap<>();
    for (String name : names) {
      long difference = after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
      if (difference != 0) {
        changed.put(name, difference);
      }
    }
    return Collections.unmodifiableMap(changed);
  }

  /** Parses the lines of /proc/net/tcp or /proc/net/tcp6, header included. */
  static List<TcpSocket> parseTcp(List<String> lines) {
    List<TcpSocket> sockets = new ArrayList<>();
    for (String line : lines) {
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("sl")) {
        continue;
      }
      // "   0: 1400007F:1F40 00000000:0000 0A 00000000:00000001 00:00000000 ...":
      // slot, local, remote, st, tx_queue:rx_queue, then timer and owner columns we do not use.
      String[] fields = trimmed.split("\\s+");
      if (fields.length < 5) {
        throw new IllegalArgumentException("short /proc/net/tcp line: " + line);
      }
      String[] queues = fields[4].split(":");
      sockets.add(
          new TcpSocket(
              decodeEndpoint(fields[1]),
              decodeEndpoint(fields[2]),
              TcpState.ofKernelNumber(Integer.parseInt(fields[3], 16)),
              Long.parseLong(queues[0], 16),
              Long.parseLong(queues[1], 16)));
    }
    return Collections.unmodifiableList(sockets);
  }

  /**
   * Parses the header-line/value-line pairs of /proc/net/netstat or /proc/net/snmp
   * ("TcpExt: SyncookiesSent ..." then "TcpExt: 0 ..."). Values are signed: snmp prints
   * Tcp MaxConn as -1 (RFC 1213's "dynamic").
   */
  static Map<String, Long> parseCounterPairs(List<String> lines) {
    List<String> nonBlank = lines.stream().filter(line -> !line.isBlank()).toList();
    if (nonBlank.size() % 2 != 0) {
      throw new IllegalArgumentException("counter lines do not pair up: " + nonBlank.size());
    }
    Map<String, Long> counters = new LinkedHashMap<>();
    for (int i = 0; i < nonBlank.size(); i += 2) {
      String[] names = nonBlank.get(i).trim().split("\\s+");
      String[] values = nonBlank.get(i + 1).trim().split("\\s+");
      if (!names[0].equals(values[0]) || names.length != values.length) {
        throw new IllegalArgumentException(
            "header and values differ: " + nonBlank.get(i) + " / " + nonBlank.get(i + 1));
      }
      String section = names[0].substring(0, names[0].length() - 1);
      for (int column = 1; column < names.length; column++) {
        counters.put(section + "." + names[column], Long.parseLong(values[column]));
      }
    }
    return Collections.unmodifiableMap(counters);
  }

  /** "0100007F:1F40" is 127.0.0.1:8000; "0000000000000000FFFF00000100007F:1F40" too. */
  private static InetSocketAddress decodeEndpoint(String field) {
    String[] parts = field.split(":");
    return new InetSocketAddress(decodeAddress(parts[0]), Integer.parseInt(parts[1], 16));
  }

  /**
   * The kernel prints an address as %08X of each in-memory 32-bit word: the one __be32 of IPv4
   * (get_tcp4_sock), the four s6_addr32 words of IPv6 (net/ipv6/tcp_ipv6.c get_tcp6_sock). On a
   * little-endian host each word's network-order bytes thus come out reversed: "0100007F" is
   * 127.0.0.1. The port, in contrast, goes through ntohs first.
   */
  private static InetAddress decodeAddress(String hex) {
    byte[] octets = new byte[hex.length() / 2];
    for (int word = 0; word < octets.length / 4; word++) {
      long value = Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16);
      for (int octet = 0; octet < 4; octet++) {
        octets[word * 4 + octet] = (byte) (value >>> (8 * octet));
      }
    }
    try {
      return InetAddress.getByAddress(octets);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address is neither IPv4 nor IPv6: " + hex, e);
    }
  }
}
