package dev.vigil.sentinel.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.ConfigLoader;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The election model's second finding, fixed: a daemon that starts without state writes its
 * quarantine's end into the state file, and a restart within it (the file now has a run id)
 * keeps abstaining until that time instead of voting at once. Clocks are injected: the wall clock
 * moves between the runs, the monotonic one starts anew as a new process's would.
 */
class QuarantineRestartTest {
  private static final long WALL = 1_764_547_200_000L;

  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @TempDir Path dir;

  private SentinelDaemon run(Path conf, long wallNow, AtomicLong monotonic) throws Exception {
    return new SentinelDaemon(ConfigLoader.load(conf, Map.of("VIGIL_HTTP_PORT", "0")),
        monotonic::get, () -> wallNow).start();
  }

  @Test
  void aRestartWithinTheQuarantineKeepsItUntilItsRecordedEnd() throws Exception {
    ValkeyServer master = servers.start();
    Path conf = dir.resolve("vigil.conf");
    Files.writeString(conf, TestDaemons.hocon("mymaster", master, 1, 1_000,
        "state-file = \"" + dir.resolve("state.conf") + "\"\n"
            + "failover { fresh-identity-quarantine = 5s }"));
    AtomicLong monotonic = new AtomicLong(1_000);
    String id;
    SentinelDaemon fresh = run(conf, WALL, monotonic);
    try {
      id = fresh.myId();
      assertThat(fresh.abstainUntil()).isEqualTo(1_000 + 5_000);
      assertThat(fresh.abstaining()).isTrue();
    } finally {
      fresh.close();
    }
    assertThat(Files.readString(dir.resolve("state.conf")))
        .contains("sentinel myid " + id, "sentinel vigil-quarantine-until " + (WALL + 5_000));

    // 2 s later, a new process (its monotonic clock elsewhere): 3 s of quarantine are left.
    monotonic.set(50);
    SentinelDaemon restarted = run(conf, WALL + 2_000, monotonic);
    try {
      assertThat(restarted.myId()).isEqualTo(id);
      assertThat(restarted.abstainUntil()).isEqualTo(50 + 3_000);
      assertThat(restarted.abstaining()).isTrue();
      monotonic.set(50 + 3_000);
      assertThat(restarted.abstaining()).isFalse();
    } finally {
      restarted.close();
    }

    // After its end a restart votes at once.
    SentinelDaemon later = run(conf, WALL + 5_000, monotonic);
    try {
      assertThat(later.myId()).isEqualTo(id);
      assertThat(later.abstainUntil()).isEqualTo(-1);
      assertThat(later.abstaining()).isFalse();
    } finally {
      later.close();
    }
  }
}
