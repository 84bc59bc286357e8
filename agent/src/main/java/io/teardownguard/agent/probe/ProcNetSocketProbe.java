package io.teardownguard.agent.probe;

import io.teardownguard.model.TcpState;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The fallback for when the native library cannot be loaded: finds the socket's inode through
 * /proc/self/fd, then its row in /proc/net/tcp6 or /proc/net/tcp. Correct but slow: about 0.5 ms
 * per call even with a handful of sockets, because producing a table walks every bucket of the
 * kernel's socket hash tables (262144 established-hash buckets on the 2-CPU test machine), against
 * about 3 µs for the native probe. It also sees less:
 *
 * <ul>
 *   <li>SO_LINGER is in no table: {@link KernelView#lingerSeconds()} is always -1.
 *   <li>The tables list only hashed sockets, and the kernel unhashes a TCP socket when it enters
 *       CLOSE (never connected, connect failed, reset, or a half-closed socket whose FIN_WAIT2
 *       ended in a TIME_WAIT minisocket). A socket in no table is therefore reported as CLOSE
 *       with empty queues, although the native probe may still find unread bytes in it. So the
 *       caller must pass only TCP sockets: a UDP or Unix socket would read as CLOSE too.
 *   <li>A table read is not atomic: a socket changing state during the read can be missed once.
 * </ul>
 *
 * /proc/net follows the reading thread's network namespace, which is the application's own.
 */
public final class ProcNetSocketProbe implements SocketProbe {

  /** Java's sockets are AF_INET6 unless java.net.preferIPv4Stack is set: tcp6 comes first. */
  private static final List<Path> TABLES =
      List.of(Path.of("/proc/net/tcp6"), Path.of("/proc/net/tcp"));

  private static final String SOCKET_LINK_PREFIX = "socket:[";

  private static final KernelView UNLISTED = new KernelView(TcpState.CLOSE, 0, 0, 0, KernelView.UNKNOWN, 0, -1);

  /** States in which rx_queue counts a received, unread FIN as one byte. */
  private static final Set<TcpState> FIN_RECEIVED =
      EnumSet.of(TcpState.CLOSE_WAIT, TcpState.LAST_ACK, TcpState.CLOSING);

  /** States in which tcp_ioctl, and so the native probe, reports both queues as 0. */
  private static final Set<TcpState> HANDSHAKE =
      EnumSet.of(TcpState.SYN_SENT, TcpState.SYN_RECV);

  // Columns of a table row: "sl local_address rem_address st tx_queue:rx_queue tr:tm->when
  // retrnsmt uid timeout inode ...".
  private static final int STATE_COLUMN = 3;
  private static final int QUEUES_COLUMN = 4;
  private static final int INODE_COLUMN = 9;

  @Override
  public KernelView probe(int fd, boolean readLinger, boolean inputAtEof) {
    try {
      String inode = socketInode(fd);
      if (inode == null) {
        return null;
      }
      for (Path table : TABLES) {
        KernelView view = find(table, inode);
        if (view != null) {
          return view;
        }
      }
      return UNLISTED;
    } catch (IOException | RuntimeException e) {
      // A closed descriptor, an unreadable /proc or a row in an unexpected format: probes run
      // inside the application's close() and must not throw into it.
      return null;
    }
  }


  /** The inode of the socket open as fd, or null when fd is open but not a socket. */
  private static String socketInode(int fd) throws IOException {
    String link = Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd))).toString();
    return link.startsWith(SOCKET_LINK_PREFIX) && link.endsWith("]")
        ? link.substring(SOCKET_LINK_PREFIX.length(), link.length() - 1)
        : null;
  }

  private static KernelView find(Path table, String inode) throws IOException {
    try (BufferedReader rows = Files.newBufferedReader(table)) {
      return find(rows, inode);
    } catch (NoSuchFileException e) {
      return null; // tcp6 is absent when the kernel runs without IPv6
    }
  }

  /** The view from the row of {@code rows} for this socket inode, or null when none has it. */
  static KernelView find(BufferedReader rows, String inode) throws IOException {
    String needle = " " + inode + " ";
    for (String row = rows.readLine(); row != null; row = rows.readLine()) {
      // Splitting only rows that contain the inode keeps a large table cheap to scan.
      if (row.contains(needle)) {
        String[] columns = row.trim().split("\\s+");
        if (columns.length > INODE_COLUMN && columns[INODE_COLUMN].equals(inode)) {
          return view(columns);
        }
      }
    }
    return null;
  }

  /**
   * A full socket's row (net/ipv4/tcp_ipv4.c get_tcp4_sock, tcp_ipv6.c get_tcp6_sock): tx_queue
   * is write_seq - snd_una; rx_queue is rcv_nxt - copied_seq, which counts a received FIN until
   * the application reads end of stream, or for a listener sk_ack_backlog.
   */
  private static KernelView view(String[] columns) {
    TcpState state = KernelView.stateOf(Long.parseLong(columns[STATE_COLUMN], 16));
    if (state == null) {
      return null;
    }
    String queues = columns[QUEUES_COLUMN];
    int colon = queues.indexOf(':');
    long txQueue = Long.parseLong(queues.substring(0, colon), 16);
    long rxQueue = Long.parseLong(queues.substring(colon + 1), 16);
    if (state == TcpState.LISTEN) {
      return new KernelView(state, 0, 0, 0, KernelView.UNKNOWN, (int) rxQueue, -1);
    }
    if (HANDSHAKE.contains(state)) {
      return new KernelView(state, 0, 0, 0, KernelView.UNKNOWN, 0, -1);
    }
    // The native probe's SIOCINQ subtracts the FIN the same way (tcp_inq).
    long unread = FIN_RECEIVED.contains(state) && rxQueue > 0 ? rxQueue - 1 : rxQueue;
    // tx_queue (write_seq - snd_una) does not say how much of it was sent: all counts as not sent.
    return new KernelView(state, unread, txQueue, KernelView.UNKNOWN, KernelView.UNKNOWN, 0, -1);
  }

  /**
   * The state of the connection between {@code local} and {@code remote} in /proc/net/tcp6 or
   * tcp, or null when neither lists it. For a socket whose descriptor reads CLOSE after both FINs:
   * tcp_time_wait() hands the connection to a minisocket (listed, in TIME_WAIT) and closes the
   * full socket, which the descriptor still names; a connection that ended in LAST_ACK or by a
   * reset leaves no row. One table scan, so only for that case.
   */
  public static TcpState listedState(InetSocketAddress local, InetSocketAddress remote) {
    if (local == null || remote == null) {
      return null;
    }
    List<String> needles = List.of(endpoint(local, true) + " " + endpoint(remote, true),
        endpoint(local, false) + " " + endpoint(remote, false));
    for (Path table : TABLES) {
      try (BufferedReader rows = Files.newBufferedReader(table)) {
        for (String row = rows.readLine(); row != null; row = rows.readLine()) {
          for (String needle : needles) {
            int at = row.indexOf(needle);
            if (at >= 0) {
              String state = row.substring(at + needle.length()).trim().split("\\s+", 2)[0];
              return KernelView.stateOf(Long.parseLong(state, 16));
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // tcp6 absent (no IPv6), or unreadable: the other table, or no answer
      }
    }
    return null;
  }

  /**
   * An address as the kernel prints it (get_tcp4_sock, get_tcp6_sock: %08X of each in-memory
   * 32-bit word, so a little-endian host reverses each word's bytes; the port after ntohs), in
   * tcp6's form (an IPv4 address v4-mapped, as on Java's dual-stack sockets) or tcp's.
   */
  private static String endpoint(InetSocketAddress address, boolean tcp6) {
    byte[] octets = address.getAddress().getAddress();
    if (octets.length == 4 && tcp6) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(octets, 0, mapped, 12, 4);
      octets = mapped;
    }
    StringBuilder hex = new StringBuilder();
    for (int word = 0; word < octets.length / 4; word++) {
      for (int octet = 3; octet >= 0; octet--) {
        hex.append(String.format(Locale.ROOT, "%02X", octets[word * 4 + octet] & 0xff));
      }
    }
    return hex.append(String.format(Locale.ROOT, ":%04X", address.getPort())).toString();
  }
}
