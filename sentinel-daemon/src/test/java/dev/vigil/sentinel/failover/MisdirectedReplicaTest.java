package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.FailoverTuning;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.Agreement;
import dev.vigil.sentinel.monitor.Effect;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Link;
import dev.vigil.sentinel.monitor.NodeInfo;
import dev.vigil.sentinel.monitor.NodeRole;
import dev.vigil.sentinel.monitor.NodeState;
import dev.vigil.sentinel.monitor.Transition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The misdirected-replica rule seen from a daemon that is not leading a failover: a replica that
 * follows a node claiming master (a replaced master back from a partition) is re-pointed after
 * two publish periods; one that follows a fellow replica of the group (detached by a leader
 * before a promotion it has not sent yet) only after a failover-timeout, or it would be pulled
 * back to the old master under the leader's feet (the simulation's seed 20335: the promoted
 * replica itself was re-pointed by a peer, and the group failed over twice more).
 */
class MisdirectedReplicaTest {
  private static final Address M = new Address("10.0.0.1", 6379);
  private static final Address R1 = new Address("10.0.0.2", 6379);
  private static final Address R2 = new Address("10.0.0.3", 6379);
  private static final Address ELSEWHERE = new Address("10.0.0.9", 6379);
  private static final long FAILOVER_TIMEOUT = 6_000;
  private static final long NOW = 100_000;

  private final FailoverCore core = new FailoverCore("a".repeat(40), Timing.DEFAULT,
      FailoverTuning.DEFAULT);

  private static NodeInfo replicaOf(Address master, String runId) {
    return new NodeInfo(runId, NodeRole.REPLICA, master, true, 0, 100, 1_000, true, List.of(), -1,
        null);
  }

  private static GroupState group() {
    MasterSpec spec = MasterSpec.of("m", M, 2).withDownAfter(Duration.ofMillis(1_000))
        .withFailoverTimeout(Duration.ofMillis(FAILOVER_TIMEOUT));
    Link up = new Link(true, NOW - 50, -1, NOW - 10, NOW - 10);
    NodeState master = new NodeState(M, up, new NodeInfo("run-m", NodeRole.MASTER, null, false, 0,
        100, 1_000, true, List.of(), -1, null), NOW - 100, false, -1, -1, -1, false);
    Map<Address, NodeState> replicas = new LinkedHashMap<>();
    replicas.put(R1, new NodeState(R1, up, replicaOf(M, "run-r1"), NOW - 100, false, -1, -1, -1,
        false));
    replicas.put(R2, new NodeState(R2, up, replicaOf(M, "run-r2"), NOW - 100, false, -1, -1, -1,
        false));
    return new GroupState(spec, 1, 1, master, replicas, Map.of(), Agreement.IDLE);
  }

  /** R2 reports {@code info} at every instant of {@code at}; the effects of the last report. */
  private List<Effect> reports(NodeInfo info, long... at) {
    return reports(group(), info, at);
  }

  private List<Effect> reports(GroupState start, NodeInfo info, long... at) {
    GroupState g = start;
    Transition t = null;
    for (long now : at) {
      g = g.withNode(g.replicas().get(R2).withInfo(info, now));
      t = core.info(g, R2, info, now);
      g = t.state();
    }
    return t.effects();
  }

  @Test
  void aReplicaFollowingAFellowReplicaIsLeftAloneForAFailoverTimeout() {
    long publish = Timing.DEFAULT.publishPeriod().toMillis();
    NodeInfo chained = replicaOf(R1, "run-r2");
    assertThat(reports(chained, NOW, NOW + 2 * publish + 1))
        .noneMatch(e -> e instanceof Effect.ReplicaOf);
    assertThat(reports(chained, NOW, NOW + FAILOVER_TIMEOUT))
        .contains(new Effect.ReplicaOf(R2, M));
  }

  @Test
  void aReplicaFollowingANodeOutsideTheGroupIsRepointedAfterTwoPublishPeriods() {
    long publish = Timing.DEFAULT.publishPeriod().toMillis();
    NodeInfo astray = replicaOf(ELSEWHERE, "run-r2");
    assertThat(reports(astray, NOW, NOW + 2 * publish - 1))
        .noneMatch(e -> e instanceof Effect.ReplicaOf);
    assertThat(reports(astray, NOW, NOW + 2 * publish)).contains(new Effect.ReplicaOf(R2, M));
  }

  @Test
  void aReplicaFollowingAGroupNodeThatClaimsMasterIsRepointedAfterTwoPublishPeriods() {
    long publish = Timing.DEFAULT.publishPeriod().toMillis();
    GroupState g = group();
    // R1 claims master (a replaced master back, say): following it can confirm its writes.
    g = g.withNode(g.replicas().get(R1).withInfo(new NodeInfo("run-r1", NodeRole.MASTER, null,
        false, 0, 100, 1_000, true, List.of(), -1, null), NOW - 50));
    assertThat(reports(g, replicaOf(R1, "run-r2"), NOW, NOW + 2 * publish))
        .contains(new Effect.ReplicaOf(R2, M));
  }

  /**
   * While this daemon holds its vote for another daemon's election, that leader may be the one
   * re-pointing the replicas (at the replica it is about to promote, which may report master
   * first): they are left alone until the hold ends (the simulation's seed 8909: followers
   * re-pointed them back at the replaced master, which answered again, and the leader's failover
   * waited out failover-timeout).
   */
  @Test
  void noReplicaIsRepointedWhileTheVoteForAnotherLeaderHolds() {
    long publish = Timing.DEFAULT.publishPeriod().toMillis();
    NodeInfo astray = replicaOf(ELSEWHERE, "run-r2");
    GroupState voted = core.vote(group(), 1, 2, "c".repeat(40), NOW, 0).state();
    long holdEnds = voted.agreement().retryNotBefore();
    assertThat(holdEnds).isGreaterThan(NOW);
    // Astray since two publish periods before the vote: due, but held back until the hold ends.
    assertThat(reports(voted, astray, NOW - 2 * publish, NOW + 1, holdEnds - 1))
        .noneMatch(e -> e instanceof Effect.ReplicaOf);
    assertThat(reports(voted, astray, NOW - 2 * publish, NOW + 1, holdEnds))
        .contains(new Effect.ReplicaOf(R2, M));
  }
}
