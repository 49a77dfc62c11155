package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.FailoverTuning;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.Agreement;
import dev.vigil.sentinel.monitor.Effect;
import dev.vigil.sentinel.monitor.Failover;
import dev.vigil.sentinel.monitor.Failover.Phase;
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
 * {@code oldMasterFenced} and {@code ackedWritesSurvive} when the master's partition heals during
 * a failover (e2e PartitionTest found WAIT-acknowledged writes lost there): a master that answers
 * before REPLICAOF NO ONE ends the failover; from REPLICAOF NO ONE on it is write-paused over any
 * link we have to it (a partition holds a link open: the pause waits there for the heal), demoted
 * (and unpaused) when the promotion is confirmed, and unpaused if the failover aborts.
 * Pure: states built by hand, the clock is a number.
 */
class OldMasterFenceTest {
  private static final String ME = "a".repeat(40);
  private static final Address OLD = new Address("10.0.0.1", 6379);
  private static final Address R1 = new Address("10.0.0.2", 6379);
  private static final Address R2 = new Address("10.0.0.3", 6379);
  private static final long FAILOVER_TIMEOUT = 6_000;
  private static final long NOW = 100_000;

  private final FailoverCore core = new FailoverCore(ME, Timing.DEFAULT, FailoverTuning.DEFAULT);

  private static NodeState replica(Address a, long offset) {
    NodeInfo info = new NodeInfo("run-" + a.host(), NodeRole.REPLICA, OLD, false, 1_500, 100,
        offset, true, List.of(), -1, null);
    return new NodeState(a, new Link(true, NOW - 50, -1, NOW - 40, NOW - 40), info, NOW - 100,
        false, -1, -1, -1, false);
  }

  /** The old master, SDOWN (silent, link held open) or answering again. */
  private static NodeState oldMaster(boolean answering) {
    return oldMaster(answering, true);
  }

  /** {@code linked}: false when our link to it is down (a crashed process). */
  private static NodeState oldMaster(boolean answering, boolean linked) {
    NodeInfo info = new NodeInfo("run-old", NodeRole.MASTER, null, false, 0, 100, 1_000, true,
        List.of(), -1, null);
    Link link = new Link(linked, NOW - 50, answering ? -1 : NOW - 3_000,
        answering ? NOW - 10 : NOW - 3_000, answering ? NOW - 10 : NOW - 3_000);
    return new NodeState(OLD, link, info, NOW - 3_000, !answering, answering ? -1 : NOW - 2_000,
        -1, -1, false);
  }

  private static GroupState group(boolean masterAnswering, Failover f) {
    return group(oldMaster(masterAnswering), f);
  }

  private static GroupState group(NodeState oldMaster, Failover f) {
    MasterSpec spec = MasterSpec.of("m", OLD, 2).withDownAfter(Duration.ofMillis(1_000))
        .withFailoverTimeout(Duration.ofMillis(FAILOVER_TIMEOUT));
    Map<Address, NodeState> replicas = new LinkedHashMap<>();
    replicas.put(R1, replica(R1, 1_000));
    replicas.put(R2, replica(R2, 900));
    return new GroupState(spec, 0, f == null ? 0 : f.epoch(), oldMaster, replicas,
        Map.of(), Agreement.IDLE.withLeader(ME).withFailover(f));
  }

  private static Failover inPhase(Phase phase, long since, boolean forced) {
    return new Failover(1, phase, since, since, forced, false, OLD,
        phase == Phase.SELECT_REPLICA ? null : R1, Map.of());
  }

  private static List<String> events(Transition t) {
    return t.effects().stream().filter(e -> e instanceof Effect.Emit)
        .map(e -> ((Effect.Emit) e).event().type()).toList();
  }

  @Test
  void aMasterThatAnswersBeforeAnyPromotionEndsTheFailover() {
    Transition back = core.tick(group(true, inPhase(Phase.SELECT_REPLICA, NOW - 5, false)), NOW, 1, 7);
    assertThat(events(back)).contains("-failover-abort-master-back");
    assertThat(back.effects()).noneMatch(e -> e instanceof Effect.Promote || e instanceof Effect.Fence);
    assertThat(back.state().agreement().failover()).isNull();
    assertThat(back.state().agreement().retryNotBefore()).isGreaterThan(NOW);

    // Still silent: the failover goes on and promotes the best replica.
    Transition silent = core.tick(group(false, inPhase(Phase.SELECT_REPLICA, NOW - 5, false)), NOW, 1, 7);
    assertThat(silent.effects()).contains(new Effect.Promote(R1));
    assertThat(silent.state().agreement().failover().phase()).isEqualTo(Phase.WAIT_PROMOTION);
  }

  @Test
  void aSilentMasterBehindALinkAPartitionHoldsOpenIsFencedBeforeThePromotion() {
    Transition t = core.tick(group(false, inPhase(Phase.SELECT_REPLICA, NOW - 5, false)), NOW, 1, 7);
    int fence = t.effects().indexOf(new Effect.Fence(OLD, FAILOVER_TIMEOUT));
    assertThat(fence).isNotNegative().isLessThan(t.effects().indexOf(new Effect.Promote(R1)));
    assertThat(events(t)).contains("+fence-old-master");
    assertThat(t.state().agreement().failover().fencedAt()).isEqualTo(NOW);
  }

  @Test
  void aCrashedMasterIsFencedOnceWhenItsLinkComesBackBeforeThePromotionIsConfirmed() {
    Transition promoted = core.tick(group(oldMaster(false, false),
        inPhase(Phase.SELECT_REPLICA, NOW - 5, false)), NOW, 1, 7);
    assertThat(promoted.effects()).contains(new Effect.Promote(R1))
        .noneMatch(e -> e instanceof Effect.Fence);
    Transition stillDown = core.tick(group(oldMaster(false, false),
        inPhase(Phase.WAIT_PROMOTION, NOW - 200, false)), NOW, 1, 7);
    assertThat(stillDown.effects()).noneMatch(e -> e instanceof Effect.Fence);

    Transition back = core.tick(group(true, inPhase(Phase.WAIT_PROMOTION, NOW - 200, false)), NOW, 1, 7);
    assertThat(back.effects()).contains(new Effect.Fence(OLD, FAILOVER_TIMEOUT));
    assertThat(events(back)).contains("+fence-old-master");
    assertThat(back.state().agreement().failover().fencedAt()).isEqualTo(NOW);

    // Once is enough: the pause already covers the rest of this phase.
    Transition again = core.tick(back.state(), NOW + 100, 1, 7);
    assertThat(again.effects()).noneMatch(e -> e instanceof Effect.Fence);
  }

  @Test
  void theConfirmedPromotionDemotesTheFencedMasterAndLiftsThePauseInTheSameTransaction() {
    GroupState fenced = group(true, inPhase(Phase.WAIT_PROMOTION, NOW - 200, false).withFencedAt(NOW - 100));
    NodeInfo promoted = new NodeInfo("run-r1", NodeRole.MASTER, null, false, 0, 100, 1_000, true,
        List.of(), -1, null);
    Transition t = core.info(fenced, R1, promoted, NOW);
    assertThat(t.state().masterAddress()).isEqualTo(R1);
    assertThat(t.effects()).contains(new Effect.ReplicaOf(OLD, R1, true), new Effect.RefreshInfo(OLD));
    assertThat(t.effects()).noneMatch(e -> e instanceof Effect.Unfence);

    // No link to it (crashed, never fenced): no blind demotion, it is demoted when it answers.
    GroupState unfenced = group(oldMaster(false, false), inPhase(Phase.WAIT_PROMOTION, NOW - 200, false));
    assertThat(core.info(unfenced, R1, promoted, NOW).effects())
        .noneMatch(e -> e instanceof Effect.ReplicaOf r && r.node().equals(OLD));
  }

  @Test
  void anAbortedFailoverLiftsItsFence() {
    long since = NOW - FAILOVER_TIMEOUT - 1;
    Transition aborted = core.tick(group(true,
        inPhase(Phase.WAIT_PROMOTION, since, false).withFencedAt(since + 50)), NOW, 1, 7);
    assertThat(events(aborted)).contains("-failover-abort-slave-timeout");
    assertThat(aborted.effects()).contains(new Effect.Unfence(OLD));
    assertThat(aborted.state().agreement().failover()).isNull();

    Transition abortedUnfenced = core.tick(group(oldMaster(false, false),
        inPhase(Phase.WAIT_PROMOTION, since, false)), NOW, 1, 7);
    assertThat(abortedUnfenced.effects()).noneMatch(e -> e instanceof Effect.Unfence);
  }

  @Test
  void aForcedFailoverFencesTheHealthyMasterBeforePromoting() {
    GroupState healthy = group(true, null);
    Transition t = core.force(healthy, NOW, 0, false).orElseThrow();
    List<Effect> fx = t.effects();
    int fence = fx.indexOf(new Effect.Fence(OLD, FAILOVER_TIMEOUT));
    int promote = fx.indexOf(new Effect.Promote(R1));
    assertThat(fence).isNotNegative();
    assertThat(promote).isGreaterThan(fence);

    // A coordinated hand-over pauses the master itself (FAILOVER TO): no fence of ours.
    Transition coordinated = core.force(healthy, NOW, 0, true).orElseThrow();
    assertThat(coordinated.effects()).noneMatch(e -> e instanceof Effect.Fence);
  }

  @Test
  void aStaleMasterDemotedOnItsInfoIsUnpausedToo() {
    // After the switch, the master we replaced claims master again: demoted with CLIENT UNPAUSE,
    // since we (or a leader that is gone) may have fenced it.
    GroupState switched = group(false, inPhase(Phase.WAIT_PROMOTION, NOW - 200, false))
        .switchedTo(R1, 1, NOW - 100);
    switched = switched.withAgreement(switched.agreement().withFailover(null).withReplaced(OLD, 1));
    NodeState newMaster = switched.master();
    NodeInfo asMaster = new NodeInfo("run-r1", NodeRole.MASTER, null, false, 0, 100, 1_000, true,
        List.of(), -1, null);
    switched = new GroupState(switched.spec(), switched.configEpoch(), switched.leaderEpoch(),
        newMaster.withInfo(asMaster, NOW - 50), switched.replicas(), switched.peers(),
        switched.agreement());
    NodeInfo oldClaims = new NodeInfo("run-old", NodeRole.MASTER, null, false, 0, 100, 1_000, true,
        List.of(), -1, null);
    Transition t = core.info(switched, OLD, oldClaims, NOW);
    assertThat(t.effects()).contains(new Effect.ReplicaOf(OLD, R1, true));
  }

  /**
   * The replica not promoted stops following the master being replaced with REPLICAOF NO ONE,
   * so that it cannot confirm the writes the old master takes when its partition heals (a
   * write-paused replica would still acknowledge them). It then counts as re-pointing, so the
   * failover ends when it is in sync with the new master without a second REPLICAOF.
   */
  @Test
  void theOtherReplicasFollowThePromotedOneFromThePromotionOn() {
    Transition t = core.tick(group(false, inPhase(Phase.SELECT_REPLICA, NOW - 5, false)), NOW, 1, 7);
    List<Effect> fx = t.effects();
    assertThat(fx).contains(new Effect.ReplicaOf(R2, R1));
    assertThat(fx.indexOf(new Effect.ReplicaOf(R2, R1))).isGreaterThan(fx.indexOf(new Effect.Promote(R1)));
    assertThat(fx).noneMatch(e -> e instanceof Effect.ReplicaOf r && !r.node().equals(R2));
    assertThat(t.state().agreement().failover().reconf()).containsKey(R2);

    NodeInfo promoted = new NodeInfo("run-r1", NodeRole.MASTER, null, false, 0, 100, 1_000, true,
        List.of(), -1, null);
    Transition confirmed = core.info(t.state(), R1, promoted, NOW + 50);
    NodeInfo following = new NodeInfo("run-r2", NodeRole.REPLICA, R1, true, 0, 100, 1_000, true,
        List.of(), -1, null);
    Transition synced = core.info(confirmed.state(), R2, following, NOW + 100);
    Transition end = core.tick(synced.state(), NOW + 150, 1, 7);
    assertThat(events(end)).contains("+failover-end");
    assertThat(List.of(confirmed, synced, end)).flatExtracting(Transition::effects)
        .noneMatch(e -> e instanceof Effect.ReplicaOf r && r.node().equals(R2));

    // Unreachable now: re-pointed after the promotion, as before.
    GroupState r2Down = group(false, inPhase(Phase.SELECT_REPLICA, NOW - 5, false));
    r2Down = new GroupState(r2Down.spec(), r2Down.configEpoch(), r2Down.leaderEpoch(), r2Down.master(),
        Map.of(R1, r2Down.replicas().get(R1), R2, r2Down.replicas().get(R2)
            .withLink(r2Down.replicas().get(R2).link().disconnected(NOW))), r2Down.peers(), r2Down.agreement());
    assertThat(core.tick(r2Down, NOW, 1, 7).effects()).noneMatch(e -> e instanceof Effect.ReplicaOf);

    // A coordinated hand-over re-points nothing early: the master hands over itself.
    Transition coordinated = core.force(group(true, null), NOW, 0, true).orElseThrow();
    assertThat(coordinated.effects()).noneMatch(e -> e instanceof Effect.ReplicaOf);
  }
}
