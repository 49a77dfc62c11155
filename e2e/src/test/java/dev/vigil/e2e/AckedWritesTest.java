package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.AdminConnection;
import dev.vigil.testkit.ValkeyServer;
import dev.vigil.testkit.ValkeyServers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ackedWritesSurvive} (and the planned switchover's zero loss): writes acknowledged with
 * {@code WAIT 1} (and min-replicas-to-write 1) are never lost in a failover. A writer records every
 * sequence number the master and one replica acknowledged; after the failover each one is on the
 * new master.
 */
class AckedWritesTest {
  private static final String NAME = "mymaster";

  @RegisterExtension final ValkeyServers servers = new ValkeyServers();
  @RegisterExtension final DaemonProcesses daemons = new DaemonProcesses();

  @Test
  void everyAcknowledgedWriteIsOnTheNewMaster() throws Exception {
    List<ValkeyServer> group = groupWithMinReplicas();
    ValkeyServer master = group.get(0);
    List<DaemonProcess> ds = daemons.watch(NAME, master, 2, 3, 2, 1_000);
    SequenceWriter writer = new SequenceWriter(ds.get(0).port, NAME, true, 0);
    Thread thread = writer.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.acked.size() > 200);
    master.kill9();
    ValkeyServer newMaster = awaitSwitch(group, master, ds);
    int atSwitch = writer.acked.size();
    await().atMost(Duration.ofSeconds(15)).until(() -> writer.acked.size() > atSwitch + 200);
    writer.stop.set(true);
    thread.join(5_000);
    assertThat(writer.acked).isNotEmpty();
    assertThat(writer.lostOn(newMaster)).isEmpty();
  }

  /** A planned switchover (COORDINATED) loses no acknowledged write, even without WAIT. */
  @Test
  void plannedSwitchoverLosesNoAcknowledgedWriteWithoutWait() throws Exception {
    List<ValkeyServer> group = servers.startGroup(2);
    ValkeyServer master = group.get(0);
    List<DaemonProcess> ds = DaemonProcesses.awaitVoting(daemons.watch(NAME, master, 2, 3, 2, 1_000));
    SequenceWriter writer = new SequenceWriter(ds.get(0).port, NAME, false, 0);
    Thread thread = writer.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.acked.size() > 500);
    try (AdminConnection c = ds.get(1).admin()) {
      assertThat(c.command("SENTINEL", "FAILOVER", NAME, "COORDINATED")).isEqualTo("OK");
    }
    ValkeyServer newMaster = awaitSwitch(group, master, ds);
    int atSwitch = writer.acked.size();
    await().atMost(Duration.ofSeconds(15)).until(() -> writer.acked.size() > atSwitch + 500);
    writer.stop.set(true);
    thread.join(5_000);
    assertThat(writer.lostOn(newMaster)).isEmpty();
    assertThat(master.info("replication").get("role")).isEqualTo("slave");
  }

  /**
   * The client most Sentinel users run: it keeps its connection to the master it resolved until
   * a command fails (500 ms timeout, below down-after), then asks a daemon again. Through SIGSTOP
   * of the master, a failover and SIGCONT right after it ends, no write it saw acknowledged is
   * lost,
   * with the settings Vigil's manifests put on every node (min-replicas-to-write 1,
   * min-replicas-max-lag: down-after in seconds, at least 2). What makes it hold: the write stuck
   * in the stopped master's socket timed out in the client before any promotion; on resume the
   * old master's replica links are closed (refused from then on: NOREPLICAS) and the daemons
   * demote it within a round trip.
   */
  @Test
  void aClientHeldOnAStoppedMasterLosesNoAcknowledgedWrite() throws Exception {
    List<ValkeyServer> group = groupWithMinReplicas();
    ValkeyServer master = group.get(0);
    List<DaemonProcess> ds = DaemonProcesses.awaitVoting(daemons.watch(NAME, master, 2, 3, 2, 1_000));
    SequenceWriter writer = new SequenceWriter(ds.get(0).port, NAME, false, 0);
    Thread thread = writer.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> writer.acked.size() > 500);
    master.pause();
    ValkeyServer newMaster = awaitSwitch(group, master, ds);
    // SIGCONT once the failover is over, its other replica following the new master: a replica
    // still attached to the stopped master when it resumes keeps it writable (and its writes are
    // lost) until the daemons demote it, a round trip later at best (see the README).
    ValkeyServer other = group.stream().filter(n -> n != master && n != newMaster).findFirst()
        .orElseThrow();
    await().atMost(Duration.ofSeconds(15))
        // A node being re-pointed or demoted disconnects its clients, this probe included.
        .ignoreException(java.io.UncheckedIOException.class).until(() ->
        Integer.toString(newMaster.port()).equals(other.info("replication").get("master_port")));
    master.resume();
    await().atMost(Duration.ofSeconds(5))
        // A node being re-pointed or demoted disconnects its clients, this probe included.
        .ignoreException(java.io.UncheckedIOException.class).until(() ->
        "slave".equals(master.info("replication").get("role")));
    int atResume = writer.acked.size();
    await().atMost(Duration.ofSeconds(15)).until(() -> writer.acked.size() > atResume + 500);
    writer.stop.set(true);
    thread.join(5_000);
    assertThat(writer.lostOn(newMaster)).isEmpty();
  }

  /**
   * A master and two replicas with the settings the operator's manifests use at down-after
   * 1000 ms: min-replicas-to-write 1, min-replicas-max-lag 2.
   */
  private List<ValkeyServer> groupWithMinReplicas() {
    List<ValkeyServer> group = servers.startGroup(2);
    for (ValkeyServer s : group) {
      s.command("CONFIG", "SET", "min-replicas-to-write", "1");
      s.command("CONFIG", "SET", "min-replicas-max-lag", "2");
    }
    return group;
  }

  /** Waits until every daemon reports a master other than {@code old}; returns that node. */
  private static ValkeyServer awaitSwitch(List<ValkeyServer> group, ValkeyServer old,
      List<DaemonProcess> ds) {
    await().atMost(Duration.ofSeconds(20)).until(() -> ds.stream().allMatch(d -> {
      List<Object> a = d.masterAddress(NAME);
      return a != null && !a.get(1).equals(Integer.toString(old.port()));
    }));
    List<Object> a = ds.get(0).masterAddress(NAME);
    return group.stream().filter(s -> Integer.toString(s.port()).equals(a.get(1))).findFirst()
        .orElseThrow();
  }
}
