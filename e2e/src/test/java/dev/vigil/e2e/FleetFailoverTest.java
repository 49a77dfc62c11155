package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.e2e.fleet.FakeFleet;
import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.SentinelProcess;
import dev.vigil.testkit.ServerBinary;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Keeps the fake fleet of {@code bin/bench-fleet} honest: a daemon (Vigil's, and Redis' Sentinel
 * when it is installed) finds a fake group's replicas from its INFO, sees the master die, promotes
 * a replica with REPLICAOF NO ONE and re-points the other one, exactly as with real servers.
 */
class FleetFailoverTest {
  private static final String NAME = "fleet";

  @Test
  void vigilFailsOverAFakeGroup() throws Exception {
    try (FakeFleet fleet = new FakeFleet()) {
      FakeFleet.Group g = fleet.startGroups(1, 2).get(0);
      try (DaemonProcess d = DaemonProcess.start(NAME, "127.0.0.1", g.master(), 1, 1_000)) {
        failsOver(fleet, g, d.port);
      }
    }
  }

  @Test
  void redisSentinelFailsOverAFakeGroup() throws Exception {
    Assumptions.assumeTrue(ServerBinary.hasSentinel(), "no redis-sentinel on PATH");
    try (FakeFleet fleet = new FakeFleet()) {
      FakeFleet.Group g = fleet.startGroups(1, 2).get(0);
      int port = DaemonProcess.freePort();
      try (SentinelProcess s = SentinelProcess.fromConfig("port " + port + "\nbind 127.0.0.1\n"
          + "sentinel monitor " + NAME + " 127.0.0.1 " + g.master() + " 1\n"
          + "sentinel down-after-milliseconds " + NAME + " 1000\n"
          + "sentinel failover-timeout " + NAME + " 10000\n", port, null)) {
        failsOver(fleet, g, port);
      }
    }
  }

  private static void failsOver(FakeFleet fleet, FakeFleet.Group g, int daemonPort) {
    await().atMost(Duration.ofSeconds(15)).until(() -> replicasKnown(daemonPort) == 2);
    fleet.kill(g.master());
    await().atMost(Duration.ofSeconds(25)).until(() -> {
      List<Object> addr = SequenceWriter.masterAddress(daemonPort, NAME);
      return addr != null && !addr.get(1).toString().equals(Integer.toString(g.master()));
    });
    int promoted = Integer.parseInt(SequenceWriter.masterAddress(daemonPort, NAME).get(1).toString());
    assertThat(g.replicas()).contains(promoted);
    int other = g.replicas().get(0) == promoted ? g.replicas().get(1) : g.replicas().get(0);
    assertThat(fleet.role(promoted)).isEqualTo("master");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> fleet.role(other).equals("slave:" + promoted));
  }

  private static int replicasKnown(int daemonPort) {
    try (AdminConnection c = new AdminConnection("127.0.0.1", daemonPort, 1_000)) {
      return ((List<?>) c.command("SENTINEL", "REPLICAS", NAME)).size();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
