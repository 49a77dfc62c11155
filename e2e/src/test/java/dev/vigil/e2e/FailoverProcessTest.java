package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentinelPool;

/**
 * Failover with everything in its own process: a master, two replicas and three daemons run as
 * users run them ({@code bin/vigil sentinel sentinel.conf}); faults are signals.
 */
class FailoverProcessTest {
  private static final String NAME = "mymaster";
  private static final long DOWN_AFTER = 1_000;

  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final DaemonProcesses daemons = new DaemonProcesses();

  private static String addr(ValkeyServer s) {
    return s.host() + ":" + s.port();
  }

  private static String reported(DaemonProcess d) {
    List<Object> a = d.masterAddress(NAME);
    return a == null ? "" : a.get(0) + ":" + a.get(1);
  }

  private static ValkeyServer at(List<ValkeyServer> group, String address) {
    return group.stream().filter(s -> addr(s).equals(address)).findFirst().orElseThrow();
  }

  @Test
  void killedMasterIsReplacedWhileAJedisPoolKeepsWriting() throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    ValkeyServer master = group.get(0);
    List<DaemonProcess> ds = daemons.watch(NAME, master, 2, 3, 2, DOWN_AFTER);
    Set<HostAndPort> sentinels = ds.stream().map(d -> new HostAndPort("127.0.0.1", d.port))
        .collect(Collectors.toSet());
    AtomicLong acked = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    try (JedisSentinelPool pool = new JedisSentinelPool(NAME, sentinels,
        DefaultJedisClientConfig.builder().timeoutMillis(500).build(),
        DefaultJedisClientConfig.builder().build())) {
      Thread writer = new Thread(() -> {
        while (!stop.get()) {
          try (Jedis j = pool.getResource()) {
            j.incr("counter");
            acked.incrementAndGet();
          } catch (RuntimeException switching) {
            // the master is gone or changing: the pool re-resolves through the daemons
          }
        }
      });
      writer.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> acked.get() > 100);
      master.kill9();
      await().atMost(Duration.ofSeconds(20)).until(() -> ds.stream()
          .allMatch(d -> !reported(d).isEmpty() && !reported(d).equals(addr(master))));
      String promoted = reported(ds.get(0));
      assertThat(ds).allMatch(d -> reported(d).equals(promoted));
      ValkeyServer newMaster = at(group, promoted);
      ValkeyServer other = group.stream().filter(s -> s != master && s != newMaster).findFirst().orElseThrow();
      await().atMost(Duration.ofSeconds(15))
          // A node being re-pointed or demoted disconnects its clients, this probe included.
          .ignoreException(java.io.UncheckedIOException.class).until(() ->
          Integer.toString(newMaster.port()).equals(other.info("replication").get("master_port"))
              && "up".equals(other.info("replication").get("master_link_status")));
      long atSwitch = acked.get();
      await().atMost(Duration.ofSeconds(15)).until(() -> acked.get() > atSwitch + 100);
      stop.set(true);
      writer.join(5_000);
      assertThat(pool.getCurrentHostMaster().getPort()).isEqualTo(newMaster.port());
    }
  }

  @Test
  void stoppedMasterIsReplacedAndBecomesAReplicaWhenResumed() throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    ValkeyServer master = group.get(0);
    List<DaemonProcess> ds = daemons.watch(NAME, master, 2, 3, 2, DOWN_AFTER);
    master.pause();
    await().atMost(Duration.ofSeconds(20)).until(() -> ds.stream()
        .allMatch(d -> !reported(d).isEmpty() && !reported(d).equals(addr(master))));
    ValkeyServer newMaster = at(group, reported(ds.get(0)));
    master.resume();
    await().atMost(Duration.ofSeconds(15))
        // A node being re-pointed or demoted disconnects its clients, this probe included.
        .ignoreException(java.io.UncheckedIOException.class).until(() ->
        "slave".equals(master.info("replication").get("role"))
            && Integer.toString(newMaster.port()).equals(master.info("replication").get("master_port")));
    assertThat(newMaster.info("replication").get("role")).isEqualTo("master");
  }

  @Test
  void failsOverWithOneDaemonDownButNotWithTwo() throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    ValkeyServer master = group.get(0);
    List<DaemonProcess> ds = daemons.watch(NAME, master, 2, 3, 2, DOWN_AFTER);
    ds.get(2).kill9();
    master.kill9();
    await().atMost(Duration.ofSeconds(20)).until(() -> ds.subList(0, 2).stream()
        .allMatch(d -> !reported(d).isEmpty() && !reported(d).equals(addr(master))));

    ValkeyServer newMaster = at(group, reported(ds.get(0)));
    ds.get(1).kill9();
    newMaster.kill9();
    await().atMost(Duration.ofSeconds(15)).until(() -> ds.get(0).log().contains(
        "is down here but no failover: 1 of the 3 known daemons agree"));
    assertThat(reported(ds.get(0))).isEqualTo(addr(newMaster));
  }
}
