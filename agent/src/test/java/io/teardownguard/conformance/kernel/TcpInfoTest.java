package io.teardownguard.conformance.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ss -tinH output, as iproute2 6.1 printed it on the link (bbr, 100,000 bytes just written). */
class TcpInfoTest {

  @Test
  void splitsTheSendQueueIntoNotSentAndInFlight() {
    String output = "ESTAB 0      65248  10.231.0.1:34436 10.231.0.2:5000\n"
        + "\t bbr wscale:10,10 rto:236 rtt:33.668/18.58 mss:1448 cwnd:34 bytes_sent:83984"
        + " bytes_acked:34753 unacked:34 rcv_space:14480 notsent:16016 minrtt:0.091 snd_wnd:60416\n";

    assertEquals(Optional.of(new TcpInfo(16_016, 49_232, 60_416)), TcpInfo.parse(output));
  }

  @Test
  void notSentIsZeroWhenSsLeavesItOut() {
    String output = "FIN-WAIT-1 0      14568  [::ffff:10.231.0.1]:34436 [::ffff:10.231.0.2]:5000\n"
        + "\t cubic wscale:10,10 rto:260 mss:1448 cwnd:69 unacked:11 snd_wnd:26624\n";

    assertEquals(Optional.of(new TcpInfo(0, 14_568, 26_624)), TcpInfo.parse(output));
  }

  @Test
  void nothingWhenTheSocketIsGoneOrSsPrintsNoWindow() {
    assertEquals(Optional.empty(), TcpInfo.parse(""));
    assertEquals(Optional.empty(), TcpInfo.parse("ESTAB 0 10 a:1 b:2\n\t cubic rto:200\n"));
  }
}
