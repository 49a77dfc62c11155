package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void portsAreBindableDistinctAndBelowTheEphemeralRange() throws Exception {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int port = FreePorts.loopback();
      assertThat(seen.add(port)).as("handed out twice: %d", port).isTrue();
      assertThat(port).isNotIn(6379, 26379, 26380, 26381);
      if (FreePorts.ephemeralLow() - 10_000 >= 1_000) {
        assertThat(port).isBetween(10_000, FreePorts.ephemeralLow() - 1);
      }
    }
    int port = FreePorts.loopback();
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(s.getLocalPort()).isEqualTo(port);
    }
  }
}
