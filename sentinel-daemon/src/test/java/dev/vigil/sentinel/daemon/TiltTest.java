package dev.vigil.sentinel.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.sentinel.config.ConfigLoader;
import dev.vigil.sentinel.monitor.Clock;
import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stall of the process (seen as a jump of the injected clock between two ticks) puts the
 * daemon in TILT: it reports it, refuses to call the master down, and acts on nothing until
 * tilt-period has passed; then it leaves TILT and resumes.
 */
class TiltTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @TempDir Path dir;

  @Test
  void aStallEntersTiltAndActingResumesAfterTiltPeriod() throws Exception {
    ValkeyServer master = servers.startGroup(1).get(0);
    Path conf = dir.resolve("vigil.conf");
    Files.writeString(conf, TestDaemons.hocon("mymaster", master, 1, 500,
        "timing.tilt-period = 4000ms"));
    AtomicLong skew = new AtomicLong();
    Clock clock = () -> Clock.MONOTONIC.millis() + skew.get();
    try (SentinelDaemon d = new SentinelDaemon(ConfigLoader.load(conf, Map.of()), clock).start();
        AdminConnection c0 = new AdminConnection("127.0.0.1", d.port(), 2_000)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> d.group("mymaster").replicas().size() == 1);
      skew.addAndGet(5_000);
      await().atMost(Duration.ofSeconds(5)).until(() -> info(c0).contains("sentinel_tilt:1"));
      assertThat(info(c0)).contains("sentinel_total_tilt:1");
      master.pause();
      try {
        // Well past down-after, but in TILT: nothing is called down, nothing is done.
        await().during(Duration.ofMillis(1_200)).atMost(Duration.ofSeconds(3))
            .until(() -> !d.group("mymaster").master().sdown());
        assertThat(c0.command("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", master.host(),
            Integer.toString(master.port()), "0", "*")).isEqualTo(java.util.List.of(0L, "*", 0L));
        // After tilt-period the daemon acts again: here, a failover away from the stopped master.
        await().atMost(Duration.ofSeconds(10)).until(() -> info(c0).contains("sentinel_tilt:0")
            && d.group("mymaster").masterAddress().port() != master.port());
      } finally {
        master.resume();
      }
    }
  }

  private static String info(AdminConnection c) throws Exception {
    return (String) c.command("INFO", "sentinel");
  }
}
