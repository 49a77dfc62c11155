package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ackedWritesSurvive} (and the planned switchover's zero loss):: writes acknowledged with {@code WAIT 1} (and min-replicas-to-write
 * 1) are never lost in a failover. A writer records every sequence number the master and one
 * replica acknowledged; after the failover each one is on the new master.
 */
class AckedWritesTest {
  private static final String NAME = "mymaster";

  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final DaemonProcesses daemons = new DaemonProcesses();

  @Test
  void everyAcknowledgedWriteIsOnTheNewMaster() throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    ValkeyServer master = group.get(0);
    for (ValkeyServer s : group) {
      s.command("CONFIG", "SET", "min-replicas-to-write", "1");
      s.command("CONFIG", "SET", "min-replicas-max-lag", "2");
    }
    List<DaemonProcess> ds = daemons.watch(NAME, master, 2, 3, 2, 1_000);
    Set<Long> acked = new ConcurrentSkipListSet<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      long seq = 0;
      while (!stop.get()) {
        List<Object> addr = ds.get(0).masterAddress(NAME);
        if (addr == null) {
          continue;
        }
        try (AdminConnection c = new AdminConnection((String) addr.get(0),
            Integer.parseInt((String) addr.get(1)), 500)) {
          while (!stop.get()) {
            seq++;
            c.command("RPUSH", "seq", Long.toString(seq));
            Object replicas = c.command("WAIT", "1", "500");
            if (replicas instanceof Long n && n >= 1) {
              acked.add(seq);
            }
          }
        } catch (IOException | RuntimeException reconnect) {
          // master gone or demoted: re-resolve through the daemon
        }
      }
    });
    writer.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> acked.size() > 200);
    master.kill9();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      List<Object> a = ds.get(0).masterAddress(NAME);
      return a != null && !a.get(1).equals(Integer.toString(master.port()));
    });
    int atSwitch = acked.size();
    await().atMost(Duration.ofSeconds(15)).until(() -> acked.size() > atSwitch + 200);
    stop.set(true);
    writer.join(5_000);
    List<Object> a = ds.get(0).masterAddress(NAME);
    ValkeyServer newMaster = group.stream()
        .filter(s -> Integer.toString(s.port()).equals(a.get(1))).findFirst().orElseThrow();
    @SuppressWarnings("unchecked")
    List<Object> stored = (List<Object>) newMaster.command("LRANGE", "seq", "0", "-1");
    Set<Long> onNewMaster = new java.util.HashSet<>();
    stored.forEach(v -> onNewMaster.add(Long.parseLong((String) v)));
    assertThat(acked).isNotEmpty();
    assertThat(onNewMaster).containsAll(acked);
  }

  /** A planned switchover (COORDINATED) loses no acknowledged write, even without WAIT. */
  @Test
  void plannedSwitchoverLosesNoAcknowledgedWriteWithoutWait() throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    ValkeyServer master = group.get(0);
    List<DaemonProcess> ds = daemons.watch(NAME, master, 2, 3, 2, 1_000);
    Set<Long> acked = new ConcurrentSkipListSet<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      long seq = 0;
      while (!stop.get()) {
        List<Object> addr = ds.get(0).masterAddress(NAME);
        if (addr == null) {
          continue;
        }
        try (AdminConnection c = new AdminConnection((String) addr.get(0),
            Integer.parseInt((String) addr.get(1)), 1_000)) {
          while (!stop.get()) {
            seq++;
            c.command("RPUSH", "seq", Long.toString(seq));
            acked.add(seq);
          }
        } catch (IOException | RuntimeException reconnect) {
          // paused, read-only or disconnected by the switchover: re-resolve
        }
      }
    });
    writer.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> acked.size() > 500);
    try (AdminConnection c = ds.get(1).admin()) {
      assertThat(c.command("SENTINEL", "FAILOVER", NAME, "COORDINATED")).isEqualTo("OK");
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> ds.stream().allMatch(d -> {
      List<Object> a = d.masterAddress(NAME);
      return a != null && !a.get(1).equals(Integer.toString(master.port()));
    }));
    int atSwitch = acked.size();
    await().atMost(Duration.ofSeconds(15)).until(() -> acked.size() > atSwitch + 500);
    stop.set(true);
    writer.join(5_000);
    List<Object> a = ds.get(0).masterAddress(NAME);
    ValkeyServer newMaster = group.stream()
        .filter(s -> Integer.toString(s.port()).equals(a.get(1))).findFirst().orElseThrow();
    @SuppressWarnings("unchecked")
    List<Object> stored = (List<Object>) newMaster.command("LRANGE", "seq", "0", "-1");
    Set<Long> onNewMaster = new java.util.HashSet<>();
    stored.forEach(v -> onNewMaster.add(Long.parseLong((String) v)));
    assertThat(onNewMaster).containsAll(acked);
    assertThat(master.info("replication").get("role")).isEqualTo("slave");
  }
}
