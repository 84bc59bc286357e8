package io.teardownguard.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class NativeSocketProbeTest {

  /** The build compiles the library for linux-x86_64, the platform the tests run on. */
  @Test
  void loadsOnThisPlatform() {
    assertEquals(Optional.empty(), NativeSocketProbe.unavailableReason());
    assertTrue(NativeSocketProbe.load().isPresent());
  }

  /** TCP_INFO fails on anything but TCP; the /proc probe cannot tell (it reads UDP as CLOSE). */
  @Test
  void noViewOfUdpSocket() throws IOException {
    try (DatagramChannel udp = DatagramChannel.open()) {
      assertNull(NativeSocketProbe.load().orElseThrow().probe(Descriptors.of(udp), true, false));
    }
  }
}
