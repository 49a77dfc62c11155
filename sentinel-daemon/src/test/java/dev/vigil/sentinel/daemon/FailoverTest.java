package dev.vigil.sentinel.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.resp3.client.RespClient;
import dev.vigil.resp3.client.RespClientOptions;
import dev.vigil.resp3.client.RespConnection;
import dev.vigil.resp3.value.Push;
import dev.vigil.resp3.value.Resp;
import dev.vigil.sentinel.config.Address;
import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failover end to end with in-process daemons and real servers. */
class FailoverTest {
  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final TestDaemons daemons = new TestDaemons();

  private static Address addr(ValkeyServer s) {
    return new Address(s.host(), s.port());
  }

  private List<SentinelDaemon> watch(List<ValkeyServer> group, int n) {
    // Quorum 2, or 1 for a daemon alone (a quorum above the daemons counts as absent voters).
    List<SentinelDaemon> ds = daemons.startGroup(n, "mymaster", group.get(0), Math.min(2, n), 500);
    await().atMost(Duration.ofSeconds(10)).until(() -> ds.stream().allMatch(d ->
        d.group("mymaster").peers().size() == n - 1
            && d.group("mymaster").replicas().size() == group.size() - 1
            && d.group("mymaster").replicas().values().stream().allMatch(r -> r.info() != null)));
    return TestDaemons.awaitVoting(ds);
  }

  @Test
  void killedMasterIsReplacedAndTheOldOneDemotedWhenItReturns() throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    ValkeyServer master = group.get(0);
    List<SentinelDaemon> ds = watch(group, 3);
    List<String> events = new CopyOnWriteArrayList<>();
    try (RespClient client = new RespClient(1);
        RespConnection sub = client.connect(RespClientOptions.of("127.0.0.1", ds.get(0).port()))
            .get(5, TimeUnit.SECONDS)) {
      sub.onPush((Push p) -> events.add(Resp.text(p.get(2)) + " " + Resp.text(p.get(3))));
      sub.psubscribe("*").get(5, TimeUnit.SECONDS);
      // Replication is asynchronous: without WAIT the kill can beat the write to the replicas,
      // and then losing it is correct. With WAIT it must be on whichever replica is promoted.
      // WAIT counts acknowledgements of the writes of its own connection: on another one it
      // answers at once (a CI run lost the write that way), so both go on one connection.
      try (AdminConnection c = master.admin(5_000)) {
        assertThat(c.command("SET", "before", "1")).isEqualTo("OK");
        assertThat(c.command("WAIT", "2", "5000")).isEqualTo(2L);
      }
      master.kill9();
      await().atMost(Duration.ofSeconds(15)).until(() -> ds.stream().allMatch(d ->
          !d.group("mymaster").masterAddress().equals(addr(master))));
      Address promoted = ds.get(0).group("mymaster").masterAddress();
      assertThat(ds).allMatch(d -> d.group("mymaster").masterAddress().equals(promoted));
      assertThat(ds).allMatch(d -> d.group("mymaster").configEpoch() >= 1);
      ValkeyServer newMaster = group.stream().filter(s -> addr(s).equals(promoted)).findFirst().orElseThrow();
      ValkeyServer other = group.stream().filter(s -> s != master && s != newMaster).findFirst().orElseThrow();
      assertThat(newMaster.command("SET", "after", "1")).isEqualTo("OK");
      assertThat(newMaster.command("GET", "before")).isEqualTo("1");
      await().atMost(Duration.ofSeconds(10))
          // A node being re-pointed or demoted disconnects its clients, this probe included.
          .ignoreException(java.io.UncheckedIOException.class).until(() ->
          Integer.toString(newMaster.port()).equals(other.info("replication").get("master_port"))
              && "up".equals(other.info("replication").get("master_link_status")));
      await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e ->
          e.startsWith("+switch-master mymaster " + master.host() + " " + master.port())));
      // (Whether this daemon itself reached ODOWN first is a race it may lose to the leader's
      // hello; what every daemon must do is switch, which the wait above checked.)
      // An observer never marks the new master down after the switch (Sentinel does, §5.4).
      assertThat(events).noneMatch(e -> e.startsWith("+sdown master mymaster " + newMaster.host()
          + " " + newMaster.port()));

      master.restart();
      await().atMost(Duration.ofSeconds(10))
          // A node being re-pointed or demoted disconnects its clients, this probe included.
          .ignoreException(java.io.UncheckedIOException.class).until(() ->
          "slave".equals(master.info("replication").get("role"))
              && Integer.toString(newMaster.port()).equals(master.info("replication").get("master_port")));
      try (AdminConnection c = new AdminConnection("127.0.0.1", ds.get(1).port(), 2_000)) {
        assertThat(c.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"))
            .isEqualTo(List.of(newMaster.host(), Integer.toString(newMaster.port())));
      }
    }
  }

  @Test
  void coordinatedSwitchoverLosesNoAcknowledgedWriteEvenWithoutWait() throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    ValkeyServer master = group.get(0);
    List<SentinelDaemon> ds = watch(group, 3);
    java.util.Set<Long> acked = new java.util.concurrent.ConcurrentSkipListSet<>();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread writer = new Thread(() -> {
      long seq = 0;
      while (!stop.get()) {
        Address m = ds.get(0).group("mymaster").masterAddress();
        try (AdminConnection c = new AdminConnection(m.host(), m.port(), 1_000)) {
          while (!stop.get()) {
            seq++;
            c.command("RPUSH", "seq", Long.toString(seq));
            acked.add(seq);
          }
        } catch (java.io.IOException | RuntimeException switching) {
          // paused, read-only or gone: re-resolve
        }
      }
    });
    writer.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> acked.size() > 500);
    try (AdminConnection c = new AdminConnection("127.0.0.1", ds.get(1).port(), 2_000)) {
      assertThat(c.command("SENTINEL", "FAILOVER", "mymaster", "COORDINATED")).isEqualTo("OK");
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> ds.stream().allMatch(d ->
        !d.group("mymaster").masterAddress().equals(addr(master))));
    Address promoted = ds.get(0).group("mymaster").masterAddress();
    ValkeyServer newMaster = group.stream().filter(s -> addr(s).equals(promoted)).findFirst().orElseThrow();
    int atSwitch = acked.size();
    await().atMost(Duration.ofSeconds(10)).until(() -> acked.size() > atSwitch + 500);
    stop.set(true);
    writer.join(5_000);
    java.util.Set<Long> present = new java.util.HashSet<>();
    @SuppressWarnings("unchecked")
    List<Object> stored = (List<Object>) newMaster.command("LRANGE", "seq", "0", "-1");
    stored.forEach(v -> present.add(Long.parseLong((String) v)));
    assertThat(present).containsAll(acked);
    await().atMost(Duration.ofSeconds(10))
        // A node being re-pointed or demoted disconnects its clients, this probe included.
        .ignoreException(java.io.UncheckedIOException.class).until(() ->
        "slave".equals(master.info("replication").get("role")));
  }

  /**
   * A replica that follows a master outside the group is fixed within seconds. (One that follows
   * another replica of the group waits a failover-timeout, as in Sentinel: that is what a leader's
   * detaching before a promotion looks like; MisdirectedReplicaTest covers both.)
   */
  @Test
  void aReplicaPointedElsewhereIsFixedWithinSeconds() throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    List<SentinelDaemon> ds = watch(group, 2);
    ValkeyServer elsewhere = servers.start();
    ValkeyServer stray = group.get(2);
    stray.replicaOf(elsewhere);
    await().atMost(Duration.ofSeconds(10))
        // A node being re-pointed or demoted disconnects its clients, this probe included.
        .ignoreException(java.io.UncheckedIOException.class).until(() ->
        Integer.toString(group.get(0).port()).equals(stray.info("replication").get("master_port"))
            && "up".equals(stray.info("replication").get("master_link_status")));
    assertThat(ds.get(0).group("mymaster").masterAddress()).isEqualTo(addr(group.get(0)));
  }

  @Test
  void aMasterThatComesBackEmptyIsFailedOverInsteadOfWipingItsReplicas() throws Exception {
    // Production defaults: a full sync starts 5 s after a replica asks, the window this needs.
    ValkeyServer master = servers.start(ValkeyServer.builder().name("master")
        .config("repl-diskless-sync-delay 5"));
    List<ValkeyServer> group = new java.util.ArrayList<>(List.of(master));
    for (int i = 0; i < 2; i++) {
      ValkeyServer r = servers.start(ValkeyServer.builder().name("replica" + i));
      r.replicaOf(master);
      group.add(r);
    }
    group.subList(1, 3).forEach(ValkeyServer::awaitReplicationLinkUp);
    for (int i = 0; i < 100; i++) {
      master.command("SET", "key" + i, "v" + i);
    }
    await().atMost(Duration.ofSeconds(5)).until(() ->
        group.subList(1, 3).stream().allMatch(r -> "v99".equals(r.command("GET", "key99"))));
    List<SentinelDaemon> ds = watch(group, 3);
    master.kill9();
    master.restart();
    await().atMost(Duration.ofSeconds(10)).until(() -> ds.stream().allMatch(d ->
        !d.group("mymaster").masterAddress().equals(addr(master))));
    Address promoted = ds.get(0).group("mymaster").masterAddress();
    ValkeyServer newMaster = group.stream().filter(s -> addr(s).equals(promoted)).findFirst().orElseThrow();
    assertThat(newMaster.command("GET", "key99")).isEqualTo("v99");
    assertThat(newMaster.command("DBSIZE")).isEqualTo(100L);
  }

  /**
   * {@code oldMasterFenced}: a client still connected to a master that was frozen while the group
   * failed over cannot write through it once a daemon has reached it again: the daemon demotes it
   * and disconnects its clients in one transaction.
   */
  @Test
  void aReturningOldMasterAcceptsNoWriteOnceADaemonReachesIt() throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    ValkeyServer master = group.get(0);
    List<SentinelDaemon> ds = watch(group, 3);
    try (AdminConnection stale = new AdminConnection(master.host(), master.port(), 2_000)) {
      assertThat(stale.command("SET", "k", "before")).isEqualTo("OK");
      master.pause();
      await().atMost(Duration.ofSeconds(15)).until(() -> ds.stream().allMatch(d ->
          !d.group("mymaster").masterAddress().equals(addr(master))));
      master.resume();
      await().atMost(Duration.ofSeconds(10))
          // A node being re-pointed or demoted disconnects its clients, this probe included.
          .ignoreException(java.io.UncheckedIOException.class).until(() ->
          "slave".equals(master.info("replication").get("role")));
      assertThatThrownBy(() -> stale.command("SET", "k", "after"))
          .satisfies(e -> assertThat(e).isInstanceOfAny(java.io.IOException.class,
              AdminConnection.ServerErrorException.class));
    }
  }

  @Test
  void forcedFailoverNeedsNoAgreement() throws Exception {
    List<ValkeyServer> group = servers.startGroup(1);
    List<SentinelDaemon> ds = watch(group, 1);
    try (AdminConnection c = new AdminConnection("127.0.0.1", ds.get(0).port(), 2_000)) {
      assertThat(c.command("SENTINEL", "FAILOVER", "mymaster")).isEqualTo("OK");
    }
    await().atMost(Duration.ofSeconds(10))
        // A node being re-pointed or demoted disconnects its clients, this probe included.
        .ignoreException(java.io.UncheckedIOException.class).until(() ->
        ds.get(0).group("mymaster").masterAddress().equals(addr(group.get(1)))
            && "master".equals(group.get(1).info("replication").get("role"))
            && "slave".equals(group.get(0).info("replication").get("role")));
  }
}
