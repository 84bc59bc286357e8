package io.teardownguard.conformance.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teardownguard.conformance.kernel.WireCapture.Segment;
import io.teardownguard.conformance.kernel.WireCapture.TcpFlag;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class WireCaptureParseTest {

  @Test
  void parsesResetWithAck() {
    assertEquals(
        Optional.of(
            new Segment(
                "127.0.0.1:48072", "127.0.0.20:8000", EnumSet.of(TcpFlag.RST, TcpFlag.ACK), 0, 1, 6)),
        WireCapture.parseLine(
            "1764401234.123456 IP 127.0.0.1.48072 > 127.0.0.20.8000: Flags [R.], seq 1, ack 6,"
                + " win 512, options [nop,nop,TS val 3947162464 ecr 3465232499], length 0"));
  }

  @Test
  void parsesLinesOfAnAnyInterfaceCaptureWithInterfaceAndDirection() {
    // tcpdump -i any (the link): the interface and direction come between time stamp and "IP".
    Segment fin =
        WireCapture.parseLine(
                "1796281406.275580 tgl0  Out IP 10.231.0.1.34436 > 10.231.0.2.5000: Flags [F.],"
                    + " seq 3247214048, ack 1727127987, win 63, length 0")
            .orElseThrow();
    assertEquals("10.231.0.1:34436", fin.source());
    assertEquals(EnumSet.of(TcpFlag.FIN, TcpFlag.ACK), fin.flags());
    assertEquals(
        "10.231.0.2:5000",
        WireCapture.parseLine(
                "1796281406.073700 tgl0  In  IP 10.231.0.2.5000 > 10.231.0.1.34436: Flags [S.],"
                    + " seq 1727127986, ack 3247114048, win 65160, length 0")
            .orElseThrow()
            .source());
    assertEquals(
        OptionalInt.of(3),
        WireCapture.parseMarkerLength(
            "1796281406.260258 lo    In  IP 127.0.0.1.50458 > 127.0.0.1.9: UDP, length 3",
            "127.0.0.1:50458"));
  }

  @Test
  void parsesBareReset() {
    Segment segment =
        WireCapture.parseLine(
                "1764401234.123456 IP 127.0.0.20.8000 > 127.0.0.1.52788: Flags [R],"
                    + " seq 1420018848, win 0, length 0")
            .orElseThrow();

    assertEquals("127.0.0.20:8000", segment.source());
    assertEquals("127.0.0.1:52788", segment.destination());
    assertEquals(EnumSet.of(TcpFlag.RST), segment.flags());
    assertFalse(segment.has(TcpFlag.ACK));
    assertEquals(1420018848L, segment.sequence());
    assertEquals(Segment.NO_NUMBER, segment.acknowledgement());
  }

  @Test
  void readsTheFirstSequenceNumberOfDataAndTheAcknowledgementOfAPureAck() {
    Segment data = WireCapture.parseLine(
            "1796281406.275580 tgl0  Out IP 10.231.0.1.34436 > 10.231.0.2.5000: Flags [.], seq 3247114049:3247115497,"
                + " ack 1727127987, win 63, length 1448")
        .orElseThrow();
    Segment ack = WireCapture.parseLine(
            "1796281406.3 tgl0  In  IP 10.231.0.2.5000 > 10.231.0.1.34436: Flags [.], ack 3247115497, win 501,"
                + " length 0")
        .orElseThrow();

    assertEquals(3247114049L, data.sequence());
    assertEquals(1727127987L, data.acknowledgement());
    assertEquals(Segment.NO_NUMBER, ack.sequence());
    assertEquals(3247115497L, ack.acknowledgement());
  }

  @Test
  void parsesDataSegmentLength() {
    Segment segment =
        WireCapture.parseLine(
                "1764401234.123456 IP 127.0.0.1.59618 > 127.0.0.20.8000: Flags [P.], seq 6:11,"
                    + " ack 1, win 512, options [nop,nop,TS val 3947162464 ecr 3465232499],"
                    + " length 5")
            .orElseThrow();

    assertEquals(5, segment.payloadLength());
    assertTrue(segment.has(TcpFlag.PSH));
    assertTrue(segment.has(TcpFlag.ACK));
  }

  @Test
  void parsesHandshakeAndFinFlags() {
    assertEquals(
        EnumSet.of(TcpFlag.SYN),
        WireCapture.parseLine(
                "1795940138.007428 IP 127.0.0.1.37086 > 127.0.0.1.38843: Flags [S], seq 244510373,"
                    + " win 65495, options [mss 65495,sackOK,TS val 644435886 ecr 0,nop,wscale"
                    + " 10], length 0")
            .orElseThrow()
            .flags());
    assertEquals(
        EnumSet.of(TcpFlag.SYN, TcpFlag.ACK),
        WireCapture.parseLine(
                "1795940138.007452 IP 127.0.0.1.38843 > 127.0.0.1.37086: Flags [S.], seq"
                    + " 2053475831, ack 244510374, win 65483, length 0")
            .orElseThrow()
            .flags());
    assertEquals(
        EnumSet.of(TcpFlag.FIN, TcpFlag.ACK),
        WireCapture.parseLine(
                "1795940138.1 IP 127.0.0.1.37086 > 127.0.0.1.38843: Flags [F.], seq 5, ack 1,"
                    + " win 64, length 0")
            .orElseThrow()
            .flags());
    assertEquals(
        EnumSet.of(TcpFlag.ACK),
        WireCapture.parseLine(
                "1795940138.1 IP 127.0.0.1.37086 > 127.0.0.1.38843: Flags [.], ack 2053475832,"
                    + " win 64, length 0")
            .orElseThrow()
            .flags());
    assertEquals(
        EnumSet.noneOf(TcpFlag.class),
        WireCapture.parseLine(
                "1795940138.1 IP 127.0.0.1.37086 > 127.0.0.1.38843: Flags [none], seq 1, win 64,"
                    + " length 0")
            .orElseThrow()
            .flags());
  }

  @Test
  void ignoresMarkersAndOtherLines() {
    String marker = "1764401234.1 IP 127.0.0.1.40000 > 127.0.0.1.9: UDP, length 17";

    assertEquals(Optional.empty(), WireCapture.parseLine(marker));
    assertEquals(
        Optional.empty(),
        WireCapture.parseLine("listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes"));
    assertEquals(
        Optional.empty(),
        WireCapture.parseLine(
            "1764401234.1 IP6 ::1.40000 > ::1.8000: Flags [S], seq 1, win 65476, length 0"));
  }

  @Test
  void recognisesOnlyOwnMarkers() {
    String marker = "1764401234.1 IP 127.0.0.1.40000 > 127.0.0.1.9: UDP, length 17";

    assertEquals(OptionalInt.of(17), WireCapture.parseMarkerLength(marker, "127.0.0.1:40000"));
    assertEquals(OptionalInt.empty(), WireCapture.parseMarkerLength(marker, "127.0.0.1:40001"));
    assertEquals(
        OptionalInt.empty(),
        WireCapture.parseMarkerLength(
            "1764401234.1 IP 127.0.0.1.40000 > 127.0.0.1.53: UDP, length 17", "127.0.0.1:40000"));
  }

  @Test
  void aFinIsKnownByItsSourceAndSequenceNumberWhetherItRidesOnDataOrNot() {
    // The TLS close's close_notify carries the FIN ([FP.]); the tail loss probe resends the FIN alone.
    String withData = "1764401234.1 IP 127.0.0.1.37451 > 127.0.0.1.52936: Flags [FP.], seq 3000:3031, ack 9, win 105,"
        + " length 31";
    String again = "1764401234.2 IP 127.0.0.1.37451 > 127.0.0.1.52936: Flags [F.], seq 3031, ack 9, win 105, length 0";
    assertEquals("127.0.0.1.37451 3031", WireCapture.finSequence(withData));
    assertEquals(WireCapture.finSequence(withData), WireCapture.finSequence(again));
  }
}
