package dev.vigil.sentinel.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.resp3.client.InfoReply;
import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.state.GroupRecord;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The monitoring decisions on virtual time: no sockets, no sleeping. */
class GroupMonitorTest {
  private static final String ME = "a".repeat(40);
  private static final String PEER = "b".repeat(40);
  private static final Address MASTER = new Address("10.0.0.1", 6379);
  private static final Address REPLICA = new Address("10.0.0.2", 6379);
  private static final long DOWN_AFTER = 1_000;

  private final GroupMonitor monitor = new GroupMonitor(ME, Timing.DEFAULT, 60_000);

  private static GroupState fresh(long now) {
    MasterSpec spec = MasterSpec.of("mymaster", MASTER, 2).withDownAfter(Duration.ofMillis(DOWN_AFTER));
    return GroupState.initial(spec, GroupRecord.fresh("mymaster", MASTER), now);
  }

  private static List<String> events(Transition t) {
    return t.effects().stream().filter(e -> e instanceof Effect.Emit)
        .map(e -> ((Effect.Emit) e).event().type() + " " + ((Effect.Emit) e).event().payload())
        .toList();
  }

  /**
   * A node that answers again after a silence longer than a ping period (a stopped master
   * resumed) is asked INFO at once, so a replaced master still claiming master is demoted within
   * a round trip rather than at its next INFO period; a node that answers on time is not.
   */
  @Test
  void aNodeThatAnswersAgainAfterSilenceIsAskedInfoAtOnce() {
    long now = 0;
    GroupState s = monitor.connected(fresh(now), MASTER, now).state();
    s = monitor.pingSent(s, MASTER, 100).state();
    Transition onTime = monitor.pingReply(s, MASTER, true, 101);
    assertThat(onTime.effects()).isEmpty();

    s = monitor.pingSent(onTime.state(), MASTER, 200).state();
    s = monitor.tick(s, 1_500).state();
    assertThat(s.master().sdown()).isTrue();
    Transition back = monitor.pingReply(s, MASTER, true, 4_000);
    assertThat(back.effects()).containsExactly(new Effect.RefreshInfo(MASTER));

    // Silent for longer than a ping period but not yet SDOWN: a short stall is a return too.
    s = monitor.pingSent(back.state(), MASTER, 4_100).state();
    assertThat(monitor.pingReply(s, MASTER, true, 4_500).effects())
        .containsExactly(new Effect.RefreshInfo(MASTER));
    // An unacceptable reply is not a return.
    assertThat(monitor.pingReply(s, MASTER, false, 4_500).effects()).isEmpty();
  }

  /**
   * A node answering each PING at once, a period or so after its last answer, is not returning:
   * it is asked INFO at the INFO period only (counted from its last reply, each PING looked like
   * a return, and half the PINGs at 500 groups brought an INFO).
   */
  @Test
  void aNodeAnsweringEveryPingAtOnceIsNotAskedInfoAfterEach() {
    long period = Timing.DEFAULT.pingPeriodFor(Duration.ofMillis(DOWN_AFTER));
    GroupState s = monitor.connected(fresh(0), MASTER, 0).state();
    long t = 0;
    for (int i = 0; i < 20; i++) {
      t += period + 100; // the next tick after the period
      s = monitor.pingSent(s, MASTER, t).state();
      Transition reply = monitor.pingReply(s, MASTER, true, t + 1);
      assertThat(reply.effects()).as("PING %d", i).isEmpty();
      s = reply.state();
    }
    // One left unanswered for longer than a period: answered, it is a return.
    s = monitor.pingSent(s, MASTER, t + period).state();
    s = monitor.pingSent(s, MASTER, t + 2 * period).state();
    assertThat(monitor.pingReply(s, MASTER, true, t + 2 * period + 1).effects())
        .containsExactly(new Effect.RefreshInfo(MASTER));
  }

  /**
   * The sdownThreshold invariant: over random schedules of pings, replies and disconnections, a
   * node is SDOWN exactly when it has gone more than down-after without an acceptable reply while
   * being asked (or unreachable).
   */
  @Test
  void sdownExactlyWhenNoValidReplyForDownAfter() {
    for (long seed = 0; seed < 2_000; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      long now = 0;
      GroupState s = monitor.connected(fresh(now), MASTER, now).state();
      long lastOk = 0;
      boolean pending = false;
      boolean connected = true;
      for (int step = 0; step < 60; step++) {
        now += r.nextInt(1, 400);
        switch (r.nextInt(6)) {
          case 0, 1 -> {
            s = monitor.pingSent(s, MASTER, now).state();
            pending = pending || connected;
          }
          case 2 -> {
            s = monitor.pingReply(s, MASTER, true, now).state();
            lastOk = now;
            pending = false;
          }
          case 3 -> s = monitor.pingReply(s, MASTER, false, now).state();
          case 4 -> {
            s = monitor.disconnected(s, MASTER, now).state();
            connected = false;
            pending = false;
          }
          default -> {
            s = monitor.connected(s, MASTER, now).state();
            connected = true;
            pending = false;
          }
        }
        s = monitor.tick(s, now).state();
        boolean expected = (pending || !connected) && now - lastOk > DOWN_AFTER;
        assertThat(s.master().sdown()).as("seed %d step %d", seed, step).isEqualTo(expected);
      }
    }
  }

  @Test
  void sdownAndRecoveryAreEmittedOnce() {
    GroupState s = monitor.connected(fresh(0), MASTER, 0).state();
    s = monitor.pingSent(s, MASTER, 100).state();
    assertThat(events(monitor.tick(s, 1_000))).isEmpty();
    Transition down = monitor.tick(s, 1_001);
    assertThat(events(down)).containsExactly("+sdown master mymaster 10.0.0.1 6379");
    assertThat(events(monitor.tick(down.state(), 1_500))).isEmpty();
    GroupState back = monitor.pingReply(down.state(), MASTER, true, 1_600).state();
    assertThat(events(monitor.tick(back, 1_600))).containsExactly("-sdown master mymaster 10.0.0.1 6379");
  }

  @Test
  void neverReachableNodeIsDownAfterDownAfter() {
    GroupState s = fresh(5_000);
    assertThat(monitor.tick(s, 6_000).state().master().sdown()).isFalse();
    assertThat(monitor.tick(s, 6_001).state().master().sdown()).isTrue();
  }

  @Test
  void replicasAreDiscoveredFromTheMastersInfo() {
    GroupState s = fresh(0);
    NodeInfo info = NodeInfo.parse(InfoReply.parse("# Server\r\nrun_id:r1\r\n# Replication\r\n"
        + "role:master\r\nconnected_slaves:2\r\n"
        + "slave0:ip=10.0.0.2,port=6379,state=online,offset=10,lag=0\r\n"
        + "slave1:ip=10.0.0.2,port=6379,state=wait_bgsave,offset=0,lag=0,type=rdb-channel\r\n"
        + "master_repl_offset:10\r\n"));
    Transition t = monitor.info(s, MASTER, info, 10);
    assertThat(t.state().replicas()).containsOnlyKeys(REPLICA);
    assertThat(t.effects()).contains(new Effect.Connect(REPLICA, false), new Effect.PersistLater());
    assertThat(events(t)).containsExactly(
        "+slave slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379");
    assertThat(monitor.info(t.state(), MASTER, info, 20).effects()).isEmpty();
    NodeInfo rebooted = NodeInfo.parse(InfoReply.parse(
        "# Server\r\nrun_id:r2\r\n# Replication\r\nrole:master\r\n"));
    assertThat(events(monitor.info(t.state(), MASTER, rebooted, 30)))
        .containsExactly("+reboot master mymaster 10.0.0.1 6379");
  }

  @Test
  void peersAreDiscoveredFromHellosAndReplacedAtTheSameAddress() {
    Address peerAddr = new Address("10.0.0.5", 26379);
    Hello h = new Hello(peerAddr, PEER, 3, "mymaster", MASTER, 0);
    Transition t = monitor.hello(fresh(0), h, 1, 100);
    assertThat(t.state().peers()).containsOnlyKeys(PEER);
    assertThat(t.effects()).contains(new Effect.Connect(peerAddr, true), new Effect.AdoptEpoch(3));
    assertThat(events(t)).containsExactly(
        "+sentinel sentinel " + PEER + " 10.0.0.5 26379 @ mymaster 10.0.0.1 6379");
    assertThat(monitor.hello(t.state(), new Hello(new Address("10.0.0.9", 1), ME, 9, "mymaster",
        MASTER, 0), 3, 200).state()).isEqualTo(t.state());

    String reborn = "c".repeat(40);
    Transition replaced = monitor.hello(t.state(), new Hello(peerAddr, reborn, 3, "mymaster",
        MASTER, 0), 3, 300);
    assertThat(replaced.state().peers()).containsOnlyKeys(reborn);
  }

  @Test
  void aNewerConfigurationFromAPeerMovesTheMaster() {
    GroupState s = monitor.info(fresh(0), MASTER, NodeInfo.parse(InfoReply.parse(
        "# Replication\r\nrole:master\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset=1\r\n")),
        0).state();
    Hello h = new Hello(new Address("10.0.0.5", 26379), PEER, 4, "mymaster", REPLICA, 4);
    Transition t = monitor.hello(s, h, 4, 100);
    assertThat(t.state().masterAddress()).isEqualTo(REPLICA);
    assertThat(t.state().configEpoch()).isEqualTo(4);
    assertThat(t.state().replicas()).containsOnlyKeys(MASTER);
    assertThat(events(t)).contains("+switch-master mymaster 10.0.0.1 6379 10.0.0.2 6379");
    Hello stale = new Hello(new Address("10.0.0.6", 26379), "d".repeat(40), 4, "mymaster", MASTER, 3);
    assertThat(monitor.hello(t.state(), stale, 4, 200).state().masterAddress()).isEqualTo(REPLICA);
  }

  /**
   * Two configurations at one config epoch (after REMOVE+MONITOR, a daemon that lost its state
   * holds the configured master, which has since become a replica of the peers' master): the
   * peers' one is followed once the node we call master itself replicates from it, link up, and
   * only then; a hello at our epoch naming another node moves nothing otherwise.
   */
  @Test
  void aHelloAtOurEpochIsFollowedOnlyWhereOurMasterReplicatesFrom() {
    Hello h = new Hello(new Address("10.0.0.5", 26379), PEER, 0, "mymaster", REPLICA, 0);
    GroupState asMaster = monitor.info(fresh(0), MASTER, NodeInfo.parse(InfoReply.parse(
        "# Replication\r\nrole:master\r\n")), 0).state();
    assertThat(monitor.hello(asMaster, h, 0, 100).state().masterAddress()).isEqualTo(MASTER);

    GroupState linkDown = monitor.info(fresh(0), MASTER, NodeInfo.parse(InfoReply.parse(
        "# Replication\r\nrole:slave\r\nmaster_host:10.0.0.2\r\nmaster_port:6379\r\n"
            + "master_link_status:down\r\n")), 0).state();
    assertThat(monitor.hello(linkDown, h, 0, 100).state().masterAddress()).isEqualTo(MASTER);

    NodeInfo replicaOfTwo = NodeInfo.parse(InfoReply.parse(
        "# Replication\r\nrole:slave\r\nmaster_host:10.0.0.2\r\nmaster_port:6379\r\n"
            + "master_link_status:up\r\n"));
    GroupState firstInfo = monitor.info(fresh(0), MASTER, replicaOfTwo, 0).state();
    // The INFO that told the role change is not yet one taken since: a node just switched to
    // would still show its replica-side INFO.
    assertThat(monitor.hello(firstInfo, h, 0, 100).state().masterAddress()).isEqualTo(MASTER);
    GroupState follows = monitor.info(firstInfo, MASTER, replicaOfTwo, 50).state();
    // Never towards a node known to report being a replica itself (nodes replicating each other).
    GroupState loop = monitor.info(follows, MASTER, NodeInfo.parse(InfoReply.parse(
        "# Replication\r\nrole:master\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset=1\r\n")), 60)
        .state();
    loop = monitor.info(monitor.info(loop, MASTER, replicaOfTwo, 70).state(), MASTER, replicaOfTwo, 80).state();
    loop = monitor.info(loop, REPLICA, NodeInfo.parse(InfoReply.parse(
        "# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\n"
            + "master_link_status:up\r\n")), 90).state();
    assertThat(loop.replicas()).containsKey(REPLICA);
    assertThat(monitor.hello(loop, h, 0, 100).state().masterAddress()).isEqualTo(MASTER);
    Hello elsewhere = new Hello(new Address("10.0.0.5", 26379), PEER, 0, "mymaster",
        new Address("10.0.0.3", 6379), 0);
    assertThat(monitor.hello(follows, elsewhere, 0, 100).state().masterAddress()).isEqualTo(MASTER);

    Transition t = monitor.hello(follows, h, 0, 100);
    assertThat(t.state().masterAddress()).isEqualTo(REPLICA);
    assertThat(t.state().configEpoch()).isZero();
    assertThat(t.state().replicas()).containsKey(MASTER);
    assertThat(events(t)).contains("+switch-master mymaster 10.0.0.1 6379 10.0.0.2 6379");
    assertThat(t.effects()).contains(new Effect.Persist());
  }

  /**
   * A replica that restarted announcing another port (its TLS port, in a migration to TLS only)
   * while the old one still answers is one node at two addresses: the entry the master no longer
   * lists is forgotten once both answer INFO with the same run id; not before, and never while
   * the master lists both.
   */
  @Test
  void aReplicaAnsweringAtAnAddressTheMasterNoLongerListsIsForgotten() {
    Address oldPort = new Address("10.0.0.2", 6379);
    Address tlsPort = new Address("10.0.0.2", 6380);
    GroupState s = monitor.info(fresh(0), MASTER, NodeInfo.parse(InfoReply.parse(
        "# Replication\r\nrole:master\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset=1\r\n")),
        0).state();
    s = monitor.info(s, MASTER, NodeInfo.parse(InfoReply.parse(
        "# Replication\r\nrole:master\r\nslave0:ip=10.0.0.2,port=6380,state=online,offset=1\r\n")),
        10).state();
    assertThat(s.replicas()).containsKeys(oldPort, tlsPort);
    String replicaInfo = "# Server\r\nrun_id:%s\r\n# Replication\r\nrole:slave\r\n"
        + "master_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n";
    // The old address answers first, as the node before its restart: two nodes, nothing forgotten.
    s = monitor.info(s, oldPort, NodeInfo.parse(InfoReply.parse(replicaInfo.formatted("r1"))), 20).state();
    s = monitor.info(s, tlsPort, NodeInfo.parse(InfoReply.parse(replicaInfo.formatted("r2"))), 30).state();
    assertThat(s.replicas()).containsKeys(oldPort, tlsPort);

    Transition t = monitor.info(s, oldPort, NodeInfo.parse(InfoReply.parse(replicaInfo.formatted("r2"))), 40);
    assertThat(t.state().replicas()).containsOnlyKeys(tlsPort);
    assertThat(t.effects()).contains(new Effect.Disconnect(oldPort));
    // The old address saw the node restart (another run id), then found it known elsewhere.
    assertThat(events(t)).containsExactly("+reboot slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379",
        "-slave slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379 "
        + "the same node as 10.0.0.2:6380, which the master lists");

    // Not while the master is down: its list is stale then.
    GroupState masterDown = monitor.tick(monitor.connected(s, MASTER, 40).state(), 40).state();
    masterDown = monitor.disconnected(masterDown, MASTER, 40).state();
    masterDown = monitor.tick(masterDown, 40 + DOWN_AFTER + 1).state();
    assertThat(masterDown.master().sdown()).isTrue();
    assertThat(monitor.info(masterDown, oldPort, NodeInfo.parse(InfoReply.parse(replicaInfo.formatted("r2"))),
        DOWN_AFTER + 100).state().replicas()).containsKeys(oldPort, tlsPort);
    // The entry the master lists answering last forgets the other one just the same.
    GroupState otherWay = monitor.info(s, oldPort, NodeInfo.parse(InfoReply.parse(replicaInfo.formatted("r3"))), 40)
        .state();
    Transition fromNew = monitor.info(otherWay, tlsPort, NodeInfo.parse(InfoReply.parse(replicaInfo.formatted("r3"))),
        50);
    assertThat(fromNew.state().replicas()).containsOnlyKeys(tlsPort);
    assertThat(fromNew.effects()).contains(new Effect.Disconnect(oldPort));

    // Both listed (two processes behind one run id cannot be told apart): both kept.
    GroupState both = monitor.info(s, MASTER, NodeInfo.parse(InfoReply.parse(
        "# Replication\r\nrole:master\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset=1\r\n"
            + "slave1:ip=10.0.0.2,port=6380,state=online,offset=1\r\n")), 50).state();
    assertThat(monitor.info(both, oldPort, NodeInfo.parse(InfoReply.parse(replicaInfo.formatted("r2"))), 60)
        .state().replicas()).containsKeys(oldPort, tlsPort);
  }

  /**
   * A follower that learns of a promotion from a hello counts the new master's silence from the
   * switch, not from a PING to the replica left unanswered while it was being promoted: only a
   * full down-after without a reply after the switch makes it SDOWN (it was SDOWN 0.3-0.5 s
   * after the switch under load, and a second failover followed).
   */
  @Test
  void theNewMastersSilenceCountsFromTheSwitch() {
    GroupState s = monitor.info(fresh(0), MASTER, NodeInfo.parse(InfoReply.parse(
        "# Replication\r\nrole:master\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset=1\r\n")),
        0).state();
    s = monitor.connected(s, REPLICA, 0).state();
    s = monitor.pingSent(s, REPLICA, 100).state();
    s = monitor.pingReply(s, REPLICA, true, 101).state();
    s = monitor.pingSent(s, REPLICA, 300).state(); // never answered: the replica is being promoted
    Hello h = new Hello(new Address("10.0.0.5", 26379), PEER, 4, "mymaster", REPLICA, 4);
    s = monitor.hello(s, h, 4, 900).state();
    assertThat(s.masterAddress()).isEqualTo(REPLICA);

    assertThat(monitor.tick(s, 1_500).state().master().sdown()).isFalse();
    s = monitor.pingSent(s, REPLICA, 1_300).state();
    assertThat(monitor.tick(s, 1_850).state().master().sdown()).isFalse();
    assertThat(monitor.tick(s, 1_901).state().master().sdown())
        .as("down-after without a reply since the switch").isTrue();
  }

  @Test
  void aMasterRebornEmptyWhileReplicasHoldDataIsDown() {
    GroupState s = monitor.connected(fresh(0), MASTER, 0).state();
    s = monitor.info(s, MASTER, NodeInfo.parse(InfoReply.parse("# Server\r\nrun_id:r1\r\n"
        + "# Replication\r\nrole:master\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset=9\r\n"
        + "# Keyspace\r\ndb0:keys=10,expires=0,avg_ttl=0\r\n")), 0).state();
    s = monitor.info(s, REPLICA, NodeInfo.parse(InfoReply.parse("# Server\r\nrun_id:x\r\n"
        + "# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\n"
        + "# Keyspace\r\ndb0:keys=10,expires=0,avg_ttl=0\r\n")), 0).state();
    NodeInfo loading = NodeInfo.parse(InfoReply.parse("# Server\r\nrun_id:r2\r\n"
        + "# Persistence\r\nloading:1\r\n# Replication\r\nrole:master\r\n# Keyspace\r\n"));
    assertThat(monitor.tick(monitor.info(s, MASTER, loading, 10).state(), 20).state().master().sdown())
        .isFalse();
    NodeInfo empty = NodeInfo.parse(InfoReply.parse("# Server\r\nrun_id:r2\r\n"
        + "# Persistence\r\nloading:0\r\n# Replication\r\nrole:master\r\n# Keyspace\r\n"));
    Transition t = monitor.info(s, MASTER, empty, 10);
    assertThat(events(t)).anyMatch(e -> e.startsWith("+reboot master mymaster 10.0.0.1 6379 restarted empty"));
    assertThat(monitor.tick(t.state(), 20).state().master().sdown()).isTrue();
  }

  @Test
  void goneReplicasAreForgottenButPeersNever() {
    GroupMonitor quickForget = new GroupMonitor(ME, Timing.DEFAULT, 5_000);
    GroupState s = quickForget.info(fresh(0), MASTER, NodeInfo.parse(InfoReply.parse(
        "# Replication\r\nrole:master\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset=1\r\n")),
        0).state();
    s = quickForget.hello(s, new Hello(new Address("10.0.0.5", 26379), PEER, 0, "mymaster", MASTER, 0), 0, 0).state();
    s = quickForget.info(s, MASTER, NodeInfo.parse(InfoReply.parse("# Replication\r\nrole:master\r\n")), 10).state();
    for (long now = 0; now <= 10_000; now += 100) {
      s = quickForget.tick(s, now).state();
    }
    assertThat(s.replicas()).isEmpty();
    assertThat(s.peers()).containsOnlyKeys(PEER);
  }

  /**
   * The shell skips a healthy group's ticks until nextChangeAt: before it a tick decides nothing,
   * at it the tick decides; while something is down every tick may decide.
   */
  @Test
  void aTickBeforeTheNextChangeDecidesNothingAndOneAtItDecides() {
    GroupState s = monitor.connected(fresh(0), MASTER, 0).state();
    s = s.withNode(NodeState.watching(REPLICA, 0));
    s = monitor.connected(s, REPLICA, 0).state();
    s = s.withPeer(PeerState.discovered(PEER, new Address("10.0.0.9", 26379), 0));
    s = monitor.connected(s, new Address("10.0.0.9", 26379), 0).state();
    assertThat(monitor.nextChangeAt(s)).as("all answering: no deadline").isEqualTo(Long.MAX_VALUE);

    s = monitor.pingSent(s, MASTER, 200).state();
    s = monitor.pingSent(s, REPLICA, 300).state();
    s = monitor.pingReply(s, REPLICA, true, 350).state();
    long at = monitor.nextChangeAt(s);
    assertThat(at).as("the master, answered last at 0").isEqualTo(DOWN_AFTER + 1);
    Transition before = monitor.tick(s, at - 1);
    assertThat(before.state()).isSameAs(s);
    assertThat(before.effects()).isEmpty();
    Transition atIt = monitor.tick(s, at);
    assertThat(events(atIt)).containsExactly("+sdown master mymaster 10.0.0.1 6379");
    assertThat(monitor.nextChangeAt(atIt.state())).isEqualTo(Long.MIN_VALUE);

    // A peer's lost link starts its count too.
    GroupState p = monitor.disconnected(s, new Address("10.0.0.9", 26379), 100).state();
    p = monitor.pingReply(p, MASTER, true, 400).state();
    assertThat(monitor.nextChangeAt(p)).isEqualTo(DOWN_AFTER + 1);
    assertThat(monitor.tick(p, DOWN_AFTER).effects()).isEmpty();
    assertThat(monitor.tick(p, DOWN_AFTER + 1).effects()).hasSize(1);
  }
}
