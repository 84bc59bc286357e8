package io.teardownguard.conformance.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.teardownguard.model.TcpState;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcNetTest {

  /** Captured from a private namespace (kernel 6.x, x86_64); the TIME_WAIT row is row 3 with st 06. */
  private static final List<String> TCP_TABLE =
      List.of(
          "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     ",
          "   0: 1400007F:1F40 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 10975 2 00000000bc459136 100 0 0 10 0                     ",
          "   1: 1400007F:1F40 0100007F:AD6A 01 00000000:00000005 00:00000000 00000000     0        0 10978 1 00000000f4f1ae64 20 4 30 10 -1                    ",
          "   2: 1400007F:1F40 0100007F:AD86 08 00000000:00000001 00:00000000 00000000     0        0 0 1 00000000a36616b5 20 4 0 10 -1                         ",
          "   3: 0100007F:AD78 1400007F:1F40 06 00000000:00000000 03:00001766 00000000     0        0 0 3 00000000bc73eaec                                      ",
          "   4: 0100007F:AD90 1400007F:1F40 01 00000010:00000000 01:00000014 00000000     0        0 10980 2 000000003b4e5544 20 4 0 10 -1                     ");

  @Test
  void parsesAddressesStatesAndQueues() {
    List<ProcNet.TcpSocket> sockets = ProcNet.parseTcp(TCP_TABLE);

    assertEquals(5, sockets.size());
    assertEquals(
        new ProcNet.TcpSocket(
            new InetSocketAddress("127.0.0.20", 8000),
            new InetSocketAddress("0.0.0.0", 0),
            TcpState.LISTEN,
            0,
            2),
        sockets.get(0));
    assertEquals(
        new ProcNet.TcpSocket(
            new InetSocketAddress("127.0.0.20", 8000),
            new InetSocketAddress("127.0.0.1", 44394),
            TcpState.ESTABLISHED,
            0,
            5),
        sockets.get(1));
    assertEquals(TcpState.CLOSE_WAIT, sockets.get(2).state());
    assertEquals(1, sockets.get(2).rxQueue());
    assertEquals(TcpState.TIME_WAIT, sockets.get(3).state());
    assertEquals(new InetSocketAddress("127.0.0.1", 44408), sockets.get(3).local());
    assertEquals(16, sockets.get(4).txQueue());
  }

  /** From tcp6 in a private namespace: a v4-mapped listener on 127.0.0.20:8000 and ::1:8001. */
  private static final List<String> TCP6_TABLE =
      List.of(
          "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
          "   0: 0000000000000000FFFF00001400007F:1F40 00000000000000000000000000000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 13581 3 0000000090e8c18a 100 0 0 10 0",
          "   1: 00000000000000000000000001000000:1F41 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 13583 1 0000000028830a1d 100 0 0 10 0",
          "   2: 0000000000000000FFFF00001400007F:1F40 0000000000000000FFFF00000100007F:B5FE 01 00000000:00000005 00:00000000 00000000     0        0 0 1 0000000013c17ac2 20 4 30 10 -1");

  @Test
  void parsesTcp6WithV4MappedAddressesAsIpv4() {
    List<ProcNet.TcpSocket> sockets = ProcNet.parseTcp(TCP6_TABLE);

    assertEquals(3, sockets.size());
    assertEquals(new InetSocketAddress("127.0.0.20", 8000), sockets.get(0).local());
    assertEquals(2, sockets.get(0).rxQueue());
    assertEquals(new InetSocketAddress("::1", 8001), sockets.get(1).local());
    assertEquals(new InetSocketAddress("127.0.0.1", 46590), sockets.get(2).remote());
    assertEquals(TcpState.ESTABLISHED, sockets.get(2).state());
    assertEquals(5, sockets.get(2).rxQueue());
  }

  @Test
  void parsesEmptyTable() {
    assertEquals(List.of(), ProcNet.parseTcp(List.of(TCP_TABLE.get(0))));
  }

  @Test
  void parsesCounterPairsIncludingNegativeValues() {
    Map<String, Long> counters =
        ProcNet.parseCounterPairs(
            List.of(
                "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors",
                "Tcp: 1 200 120000 -1 4 4 0 5 0 24 24 0 0 3 0",
                "TcpExt: SyncookiesSent TCPAbortOnData TCPAbortOnClose TCPAbortOnLinger",
                "TcpExt: 0 2 1 0",
                ""));

    assertEquals(-1L, counters.get("Tcp.MaxConn"));
    assertEquals(3L, counters.get("Tcp.OutRsts"));
    assertEquals(1L, counters.get("TcpExt.TCPAbortOnClose"));
    assertEquals(2L, counters.get("TcpExt.TCPAbortOnData"));
    assertEquals(19, counters.size());
  }

  @Test
  void rejectsMismatchedCounterPairs() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ProcNet.parseCounterPairs(List.of("Tcp: A B", "Udp: 1 2")));
    assertThrows(
        IllegalArgumentException.class,
        () -> ProcNet.parseCounterPairs(List.of("Tcp: A B", "Tcp: 1")));
  }

  @Test
  void deltaKeepsOnlyChangedCountersAndTreatsMissingAsZero() {
    Map<String, Long> before = Map.of("Tcp.OutRsts", 3L, "Tcp.CurrEstab", 2L);
    Map<String, Long> after =
        Map.of("Tcp.OutRsts", 5L, "Tcp.CurrEstab", 2L, "IcmpMsg.OutType3", 1L);

    assertEquals(
        Map.of("Tcp.OutRsts", 2L, "IcmpMsg.OutType3", 1L), ProcNet.delta(before, after));
  }

  @Test
  void readsTheLiveFiles() throws Exception {
    Map<String, Long> counters = ProcNet.counters();

    assertEquals(true, counters.containsKey("TcpExt.TCPAbortOnClose"));
    assertEquals(true, counters.containsKey("Tcp.OutRsts"));
    ProcNet.tcpSockets();
  }
}
