package io.teardownguard.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.teardownguard.model.TcpState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** Row parsing for states the loopback tests cannot hold still (LAST_ACK, CLOSING, SYN_SENT). */
class ProcNetSocketProbeTest {

  private static final String HEADER =
      "  sl  local_address                         remote_address                        st"
          + " tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

  /** A tcp6 row with these state, queues and inode; its uid, 4242, catches a wrong-column match. */
  private static String row(String state, String txQueue, String rxQueue, String inode) {
    return "   0: 0000000000000000FFFF00000100007F:A1B2 0000000000000000FFFF00000100007F:1F90 "
        + state + " " + txQueue + ":" + rxQueue
        + " 00:00000000 00000000  4242        0 " + inode + " 1 0000000000000000 20 4 30 10 -1\n";
  }

  private static KernelView find(String table, String inode) throws IOException {
    return ProcNetSocketProbe.find(new BufferedReader(new StringReader(HEADER + table)), inode);
  }

  @Test
  void unreadFinIsNotDataInLastAckAndClosing() throws IOException {
    String table =
        row("09", "00000001", "00000006", "100") + row("0B", "00000001", "00000001", "101");

    assertEquals(new KernelView(TcpState.LAST_ACK, 5, 1, KernelView.UNKNOWN, KernelView.UNKNOWN, 0, -1), find(table, "100"));
    assertEquals(new KernelView(TcpState.CLOSING, 0, 1, KernelView.UNKNOWN, KernelView.UNKNOWN, 0, -1), find(table, "101"));
  }

  @Test
  void readFinLeavesNothingToSubtract() throws IOException {
    assertEquals(
        new KernelView(TcpState.CLOSE_WAIT, 0, 0, KernelView.UNKNOWN, KernelView.UNKNOWN, 0, -1),
        find(row("08", "00000000", "00000000", "100"), "100"));
  }

  @Test
  void handshakeQueuesAreZeroAsInTcpIoctl() throws IOException {
    // SYN_SENT's tx_queue counts the SYN (write_seq - snd_una = 1); SIOCOUTQ reports 0.
    assertEquals(
        new KernelView(TcpState.SYN_SENT, 0, 0, 0, KernelView.UNKNOWN, 0, -1),
        find(row("02", "00000001", "00000000", "100"), "100"));
  }

  @Test
  void listenerRxQueueIsTheAcceptQueue() throws IOException {
    assertEquals(
        new KernelView(TcpState.LISTEN, 0, 0, 0, KernelView.UNKNOWN, 3, -1),
        find(row("0A", "00000032", "00000003", "100"), "100"));
  }

  @Test
  void inodeMustBeInTheInodeColumn() throws IOException {
    // 4242 is this row's uid, not its inode.
    assertNull(find(row("01", "00000000", "00000000", "100"), "4242"));
  }
}
