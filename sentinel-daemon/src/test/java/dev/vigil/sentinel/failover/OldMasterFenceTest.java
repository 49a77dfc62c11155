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

  /**
   * R2's INFO from the transaction of the REPLICAOF that detached it (following R1 at
   * {@code offset}), recorded as the monitor records it, then shown to the core.
   */
  private Transition r2Reports(GroupState g, Address following, long offset, long at) {
    NodeInfo info = new NodeInfo("run-r2", NodeRole.REPLICA, following, false, 0, 100, offset,
        true, List.of(), -1, null);
    GroupState seen = g.withNode(g.replicas().get(R2).withInfo(info, at));
    return core.info(seen, R2, info, at);
  }

  /** SELECT_REPLICA with the master silent, then R2's report that it follows R1. */
  private Transition promoted(GroupState g) {
    Transition selected = core.tick(g, NOW, 1, 7);
    return r2Reports(selected.state(), R1, 900, NOW + 2);
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

    // Still silent: the failover goes on and promotes the best replica once R2 left the master.
    Transition silent = promoted(group(false, inPhase(Phase.SELECT_REPLICA, NOW - 5, false)));
    assertThat(silent.effects()).contains(new Effect.Promote(R1));
    assertThat(silent.state().agreement().failover().phase()).isEqualTo(Phase.WAIT_PROMOTION);
  }

  @Test
  void aMasterThatAnswersWhileTheOtherReplicasAreDetachedEndsTheFailoverAndGetsThemBack() {
    Transition selected = core.tick(group(false, inPhase(Phase.SELECT_REPLICA, NOW - 5, false)), NOW, 1, 7);
    assertThat(selected.state().agreement().failover().phase()).isEqualTo(Phase.PROMOTE);
    GroupState back = selected.state().withNode(oldMaster(true));
    Transition t = core.tick(back, NOW + 5, 1, 7);
    assertThat(events(t)).contains("-failover-abort-master-back");
    assertThat(t.effects()).contains(new Effect.ReplicaOf(R2, OLD), new Effect.Unfence(OLD))
        .noneMatch(e -> e instanceof Effect.Promote);
    assertThat(t.state().agreement().failover()).isNull();
  }

  @Test
  void aSilentMasterBehindALinkAPartitionHoldsOpenIsFencedBeforeThePromotion() {
    Transition t = core.tick(group(false, inPhase(Phase.SELECT_REPLICA, NOW - 5, false)), NOW, 1, 7);
    int fence = t.effects().indexOf(new Effect.Fence(OLD, FAILOVER_TIMEOUT));
    assertThat(fence).isNotNegative().isLessThan(t.effects().indexOf(new Effect.ReplicaOf(R2, R1)));
    assertThat(t.effects()).noneMatch(e -> e instanceof Effect.Promote);
    assertThat(events(t)).contains("+fence-old-master");
    assertThat(t.state().agreement().failover().fencedAt()).isEqualTo(NOW);
  }

  @Test
  void aCrashedMasterIsFencedOnceWhenItsLinkComesBackBeforeThePromotionIsConfirmed() {
    Transition selected = core.tick(group(oldMaster(false, false),
        inPhase(Phase.SELECT_REPLICA, NOW - 5, false)), NOW, 1, 7);
    Transition promoted = r2Reports(selected.state(), R1, 900, NOW + 2);
    assertThat(promoted.effects()).contains(new Effect.Promote(R1));
    assertThat(List.of(selected, promoted)).flatExtracting(Transition::effects)
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

  /**
   * Soak seed 821409: while our failover's queue waits on a slow replica (parallel-syncs 1), an
   * older master of the group comes back claiming master. It is demoted as a stale master is at
   * any other time (once its claim has stood four publish periods, time for a newer
   * configuration to reach us), not after the failover-timeout, and the queue counts it as sent.
   */
  @Test
  void anOlderMasterBackWhileTheQueueWaitsIsDemotedOutsideTheQueue() {
    Address older = new Address("10.0.0.4", 6379);
    NodeInfo promotedInfo = new NodeInfo("run-r1", NodeRole.MASTER, null, false, 0, 100, 2_000,
        true, List.of(), -1, null);
    NodeState promoted = new NodeState(R1, new Link(true, NOW - 50, -1, NOW - 40, NOW - 40),
        promotedInfo, NOW - 100, false, -1, NOW - 5_000, -1, false);
    NodeInfo claim = new NodeInfo("run-older", NodeRole.MASTER, null, false, 0, 100, 0, true,
        List.of(), -1, null);
    Failover f = new Failover(1, Phase.RECONF_REPLICAS, NOW - 5_000, NOW - 4_000, false, false,
        OLD, R1, Map.of(R2, new Failover.Reconf(Failover.Reconf.State.SENT, NOW - 4_000)));
    MasterSpec spec = MasterSpec.of("m", R1, 2).withDownAfter(Duration.ofMillis(1_000))
        .withFailoverTimeout(Duration.ofMillis(60_000));
    Map<Address, NodeState> replicas = new LinkedHashMap<>();
    replicas.put(R2, replica(R2, 1_000));
    replicas.put(older, replica(older, 0));
    GroupState g = new GroupState(spec, 1, 1, promoted, replicas, Map.of(),
        Agreement.IDLE.withLeader(ME).withFailover(f));

    // Just back: its claim may be a newer promotion we have not heard of yet.
    GroupState justBack = g.withNode(g.replicas().get(older).withInfo(claim, NOW));
    Transition early = core.info(justBack, older, claim, NOW);
    assertThat(early.effects()).noneMatch(e -> e instanceof Effect.ReplicaOf);

    long later = NOW + 4 * Timing.DEFAULT.publishPeriod().toMillis();
    GroupState standing = justBack.withNode(justBack.replicas().get(older).withInfo(claim, later));
    Transition t = core.info(standing, older, claim, later);
    assertThat(t.effects()).contains(new Effect.ReplicaOf(older, R1, true));
    assertThat(events(t)).contains("+convert-to-slave");
    Failover after = t.state().agreement().failover();
    assertThat(after.phase()).isEqualTo(Phase.RECONF_REPLICAS);
    assertThat(after.reconf().get(older).state()).isEqualTo(Failover.Reconf.State.SENT);

    // The queue does not send it a second REPLICAOF.
    Transition tick = core.tick(t.state(), later + 10, 1, 7);
    assertThat(tick.effects()).noneMatch(e -> e instanceof Effect.ReplicaOf r
        && r.node().equals(older));
  }

  /**
   * A lost REPLICAOF NO ONE is sent again only within the election's hold (our voters refuse
   * other candidates that long): past it another leader may be promoting, so the failover is
   * aborted for a new election instead (soak seed 95766). A forced failover has no voters' hold
   * to keep and sends it again.
   */
  @Test
  void aLostPromotionIsSentAgainWithinTheHoldAndAbandonedAfterIt() {
    Transition within = core.tick(group(false, inPhase(Phase.WAIT_PROMOTION, NOW - 1_500, false)),
        NOW, 1, 7);
    assertThat(within.effects()).contains(new Effect.Promote(R1));
    assertThat(within.state().agreement().failover()).isNotNull();

    Transition after = core.tick(group(false,
        inPhase(Phase.WAIT_PROMOTION, NOW - 2_500, false).withFencedAt(NOW - 2_400)), NOW, 1, 7);
    assertThat(after.effects()).noneMatch(e -> e instanceof Effect.Promote)
        .contains(new Effect.Unfence(OLD));
    assertThat(events(after)).contains("-failover-abort-slave-timeout");
    assertThat(after.state().agreement().failover()).isNull();
    assertThat(after.state().agreement().retryNotBefore()).isGreaterThan(NOW);

    Transition forced = core.tick(group(false, inPhase(Phase.WAIT_PROMOTION, NOW - 2_500, true)),
        NOW, 1, 7);
    assertThat(forced.effects()).contains(new Effect.Promote(R1));
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
    // A daemon alone in its group (quorum 1): it is elected by its own vote.
    GroupState healthy = group(true, null);
    healthy = healthy.withSpec(healthy.spec().withQuorum(1));
    Transition t = core.force(healthy, NOW, 0, false).orElseThrow();
    List<Effect> fx = t.effects();
    int fence = fx.indexOf(new Effect.Fence(OLD, FAILOVER_TIMEOUT));
    assertThat(fence).isNotNegative().isLessThan(fx.indexOf(new Effect.ReplicaOf(R2, R1)));
    assertThat(fx).noneMatch(e -> e instanceof Effect.Promote);
    // The master answers, but a forced failover goes on: promoted once R2 follows R1.
    Transition promoted = r2Reports(t.state(), R1, 900, NOW + 2);
    assertThat(promoted.effects()).contains(new Effect.Promote(R1));

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
   * {@code waitAcknowledgedWritesSurvive}: the replica not promoted stops following the master
   * being replaced before REPLICAOF NO ONE goes out, so that it cannot confirm the writes the old
   * master takes when its partition heals (a write-paused replica would still acknowledge them),
   * and the promotion waits until the chosen replica has every byte the detached one reported.
   * It then counts as re-pointing, so the failover ends when it is in sync with the new master
   * without a second REPLICAOF.
   */
  @Test
  void theOtherReplicasAreDetachedBeforeThePromotionWhichWaitsUntilTheChosenOneHasAllTheyHave() {
    Transition t = core.tick(group(false, inPhase(Phase.SELECT_REPLICA, NOW - 5, false)), NOW, 1, 7);
    List<Effect> fx = t.effects();
    assertThat(fx).contains(new Effect.ReplicaOf(R2, R1)).noneMatch(e -> e instanceof Effect.Promote);
    assertThat(fx).noneMatch(e -> e instanceof Effect.ReplicaOf r && !r.node().equals(R2));
    assertThat(t.state().agreement().failover().reconf()).containsKey(R2);
    assertThat(t.state().agreement().failover().phase()).isEqualTo(Phase.PROMOTE);

    // An INFO from before the REPLICAOF (still following the old master) is no report.
    Transition stale = r2Reports(t.state(), OLD, 900, NOW - 1);
    assertThat(stale.effects()).noneMatch(e -> e instanceof Effect.Promote);

    // R2 read more of the old master's stream than R1 had when R1 was chosen: R1 must catch up.
    Transition ahead = r2Reports(t.state(), R1, 1_200, NOW + 2);
    assertThat(ahead.effects()).contains(new Effect.RefreshInfo(R1))
        .noneMatch(e -> e instanceof Effect.Promote);
    NodeInfo r1Behind = new NodeInfo("run-r1", NodeRole.REPLICA, OLD, true, 0, 100, 1_100, true,
        List.of(), -1, null);
    GroupState s = ahead.state();
    s = s.withNode(s.replicas().get(R1).withInfo(r1Behind, NOW + 4));
    assertThat(core.info(s, R1, r1Behind, NOW + 4).effects()).noneMatch(e -> e instanceof Effect.Promote);
    assertThat(core.tick(s, NOW + 50, 1, 7).effects()).noneMatch(e -> e instanceof Effect.Promote);
    NodeInfo r1CaughtUp = new NodeInfo("run-r1", NodeRole.REPLICA, OLD, true, 0, 100, 1_200, true,
        List.of(), -1, null);
    s = s.withNode(s.replicas().get(R1).withInfo(r1CaughtUp, NOW + 6));
    Transition caughtUp = core.info(s, R1, r1CaughtUp, NOW + 6);
    assertThat(caughtUp.effects()).contains(new Effect.Promote(R1));
    assertThat(caughtUp.state().agreement().failover().phase()).isEqualTo(Phase.WAIT_PROMOTION);

    NodeInfo promoted = new NodeInfo("run-r1", NodeRole.MASTER, null, false, 0, 100, 1_200, true,
        List.of(), -1, null);
    Transition confirmed = core.info(caughtUp.state(), R1, promoted, NOW + 50);
    NodeInfo following = new NodeInfo("run-r2", NodeRole.REPLICA, R1, true, 0, 100, 1_200, true,
        List.of(), -1, null);
    Transition synced = core.info(confirmed.state(), R2, following, NOW + 100);
    Transition end = core.tick(synced.state(), NOW + 150, 1, 7);
    assertThat(events(end)).contains("+failover-end");
    assertThat(List.of(confirmed, synced, end)).flatExtracting(Transition::effects)
        .noneMatch(e -> e instanceof Effect.ReplicaOf r && r.node().equals(R2));

    // Unreachable now: not waited for, re-pointed after the promotion, as before.
    GroupState r2Down = group(false, inPhase(Phase.SELECT_REPLICA, NOW - 5, false));
    r2Down = new GroupState(r2Down.spec(), r2Down.configEpoch(), r2Down.leaderEpoch(), r2Down.master(),
        Map.of(R1, r2Down.replicas().get(R1), R2, r2Down.replicas().get(R2)
            .withLink(r2Down.replicas().get(R2).link().disconnected(NOW))), r2Down.peers(), r2Down.agreement());
    Transition alone = core.tick(r2Down, NOW, 1, 7);
    assertThat(alone.effects()).contains(new Effect.Promote(R1))
        .noneMatch(e -> e instanceof Effect.ReplicaOf);

    // A coordinated hand-over re-points nothing early: the master hands over itself.
    Transition coordinated = core.force(group(true, null), NOW, 0, true).orElseThrow();
    assertThat(coordinated.effects()).noneMatch(e -> e instanceof Effect.ReplicaOf);
  }

  /**
   * A chosen replica that cannot catch up (its own link to the old master broke) while a detached
   * one has more: after the catch-up limit the one with more is chosen instead and the others,
   * the first choice included, are detached towards it; it is promoted once they report.
   */
  @Test
  void aChosenReplicaThatCannotCatchUpGivesWayToTheOneThatHasMore() {
    Transition t = core.tick(group(false, inPhase(Phase.SELECT_REPLICA, NOW - 5, false)), NOW, 1, 7);
    Transition ahead = r2Reports(t.state(), R1, 1_200, NOW + 2);
    long later = NOW + FailoverCore.CATCH_UP_LIMIT_MS + 1;
    // Fresh enough to stay a candidate; R1 still at 1,000.
    GroupState s = ahead.state();
    NodeInfo r1Stuck = new NodeInfo("run-r1", NodeRole.REPLICA, OLD, false, 1_500, 100, 1_000, true,
        List.of(), -1, null);
    NodeInfo r2Still = s.replicas().get(R2).info();
    s = s.withNode(s.replicas().get(R1).withInfo(r1Stuck, later - 10)
        .withLink(new Link(true, NOW - 50, -1, later - 10, later - 10)));
    s = s.withNode(s.replicas().get(R2).withInfo(r2Still, later - 10)
        .withLink(new Link(true, NOW - 50, -1, later - 10, later - 10)));
    Transition switched = core.tick(s, later, 1, 7);
    assertThat(switched.effects()).contains(new Effect.ReplicaOf(R1, R2))
        .noneMatch(e -> e instanceof Effect.Promote);
    assertThat(switched.state().agreement().failover().promoted()).isEqualTo(R2);
    assertThat(switched.state().agreement().failover().reconf()).containsOnlyKeys(R1);

    NodeInfo r1Detached = new NodeInfo("run-r1", NodeRole.REPLICA, R2, false, 0, 100, 1_000, true,
        List.of(), -1, null);
    GroupState s2 = switched.state();
    s2 = s2.withNode(s2.replicas().get(R1).withInfo(r1Detached, later + 2));
    Transition promoted = core.info(s2, R1, r1Detached, later + 2);
    assertThat(promoted.effects()).contains(new Effect.Promote(R2));
  }

  /**
   * A REPLICAOF NO ONE lost with its connection: the chosen replica still reports itself a replica
   * a second later, and gets it again (once a second), rather than the group waiting out the
   * failover-timeout without a master.
   */
  @Test
  void aPromotionTheChosenReplicaNeverGotIsSentAgain() {
    Transition promoted = promoted(group(false, inPhase(Phase.SELECT_REPLICA, NOW - 5, false)));
    assertThat(promoted.effects()).contains(new Effect.Promote(R1));
    GroupState s = promoted.state();
    NodeInfo stillReplica = new NodeInfo("run-r1", NodeRole.REPLICA, OLD, true, 0, 100, 1_000,
        true, List.of(), -1, null);
    Link fresh = new Link(true, NOW - 50, -1, NOW + 1_400, NOW + 1_400);
    GroupState early = s.withNode(s.replicas().get(R1).withInfo(stillReplica, NOW + 500)
        .withLink(fresh));
    assertThat(core.tick(early, NOW + 600, 1, 7).effects()).doesNotContain(new Effect.Promote(R1));
    GroupState late = s.withNode(s.replicas().get(R1).withInfo(stillReplica, NOW + 1_400)
        .withLink(fresh));
    Transition again = core.tick(late, NOW + 1_450, 1, 7);
    assertThat(again.effects()).contains(new Effect.Promote(R1));
    assertThat(core.tick(again.state(), NOW + 1_550, 1, 7).effects())
        .doesNotContain(new Effect.Promote(R1));
  }
}
