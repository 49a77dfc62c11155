package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.FailoverTuning;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.Agreement;
import dev.vigil.sentinel.monitor.Effect;
import dev.vigil.sentinel.monitor.Failover.Phase;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Link;
import dev.vigil.sentinel.monitor.NodeInfo;
import dev.vigil.sentinel.monitor.NodeRole;
import dev.vigil.sentinel.monitor.NodeState;
import dev.vigil.sentinel.monitor.PeerState;
import dev.vigil.sentinel.monitor.SentinelEvent;
import dev.vigil.sentinel.monitor.Transition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code leaderElectionSafety} for SENTINEL FAILOVER: a forced failover takes a new epoch by an
 * election too, a majority of the daemons known for the group (not quorum: there is no ODOWN to
 * agree on). Sentinel takes the epoch without asking, and the simulation, switching over during
 * faults, found a daemon that had not heard of it elected in the same epoch (two leaders, two
 * promotions). Pure: states built by hand, the clock is a number.
 */
class ForcedFailoverElectionTest {
  private static final String ME = "b".repeat(40);
  private static final String P1 = "a".repeat(40);
  private static final String P2 = "c".repeat(40);
  private static final Address MASTER = new Address("10.0.0.1", 6379);
  private static final Address R1 = new Address("10.0.0.2", 6379);
  private static final Address R2 = new Address("10.0.0.3", 6379);
  private static final long NOW = 100_000;

  private final FailoverCore core = new FailoverCore(ME, Timing.DEFAULT, FailoverTuning.DEFAULT);

  private static NodeState node(Address a, NodeRole role, long offset) {
    NodeInfo info = new NodeInfo("run-" + a.host(), role, role == NodeRole.REPLICA ? MASTER : null,
        role == NodeRole.REPLICA, 0, 100, offset, true, List.of(), -1, null);
    return new NodeState(a, new Link(true, NOW - 50, -1, NOW - 40, NOW - 40), info, NOW - 100,
        false, -1, -1, -1, false);
  }

  /** A healthy group watched by three daemons, quorum 3 (more than the majority of 2). */
  private static GroupState healthy() {
    MasterSpec spec = MasterSpec.of("m", MASTER, 3).withDownAfter(Duration.ofMillis(1_000));
    Map<Address, NodeState> replicas = new LinkedHashMap<>();
    replicas.put(R1, node(R1, NodeRole.REPLICA, 1_000));
    replicas.put(R2, node(R2, NodeRole.REPLICA, 900));
    Map<String, PeerState> peers = new LinkedHashMap<>();
    peers.put(P1, PeerState.discovered(P1, new Address("10.0.1.1", 26379), NOW - 10_000));
    peers.put(P2, PeerState.discovered(P2, new Address("10.0.1.3", 26379), NOW - 10_000));
    return new GroupState(spec, 4, 4, node(MASTER, NodeRole.MASTER, 1_000), replicas, peers,
        Agreement.IDLE);
  }

  /** The healthy group as a daemon sees it that knows no peer, at the given quorum. */
  private static GroupState knowingNoPeer(int quorum) {
    GroupState g = healthy();
    return new GroupState(g.spec().withQuorum(quorum), g.configEpoch(), g.leaderEpoch(), g.master(),
        g.replicas(), Map.of(), g.agreement());
  }

  private GroupState answered(GroupState g, String peer, String votedFor, long epoch) {
    return core.peerAnswer(g, peer, false, votedFor, epoch, MASTER, g.configEpoch(), NOW + 5);
  }

  private static List<String> events(Transition t) {
    return t.effects().stream().filter(e -> e instanceof Effect.Emit)
        .map(e -> ((Effect.Emit) e).event().type()).toList();
  }

  @Test
  void aForcedFailoverAsksForVotesAndActsOnlyOnceAMajorityGaveThem() {
    Transition started = core.force(healthy(), NOW, 4, false).orElseThrow();
    assertThat(started.effects()).contains(new Effect.AdoptEpoch(5), new Effect.AskPeers(true, 5))
        .noneMatch(e -> e instanceof Effect.Fence || e instanceof Effect.ReplicaOf
            || e instanceof Effect.Promote);
    assertThat(started.state().agreement().failover().phase()).isEqualTo(Phase.WAIT_START);
    assertThat(core.tick(started.state(), NOW + 20, 5, 7).state().agreement().failover().phase())
        .as("no votes yet").isEqualTo(Phase.WAIT_START);

    // One peer's vote makes two of three: a majority, though the group's quorum is three.
    GroupState voted = answered(started.state(), P1, ME, 5);
    Transition elected = core.tick(voted, NOW + 20, 5, 7);
    assertThat(events(elected)).contains("+elected-leader");
    assertThat(elected.state().agreement().failover().phase()).isEqualTo(Phase.PROMOTE);
  }

  @Test
  void aForcedFailoverThatAnotherCandidateOutvotesPromotesNothing() {
    Transition started = core.force(healthy(), NOW, 4, false).orElseThrow();
    // Both peers voted for P2 in epoch 5 (its own election, say): P2 leads epoch 5, not us.
    GroupState outvoted = answered(answered(started.state(), P1, P2, 5), P2, P2, 5);
    Transition t = core.tick(outvoted, NOW + 20, 5, 7);
    assertThat(events(t)).doesNotContain("+elected-leader");
    assertThat(t.state().agreement().failover().phase()).isEqualTo(Phase.WAIT_START);
    assertThat(t.effects()).noneMatch(e -> e instanceof Effect.Promote || e instanceof Effect.ReplicaOf
        || e instanceof Effect.Fence);

    // Votes that leave nobody a majority end it at once.
    GroupState split = answered(answered(started.state(), P1, P2, 5), P2, P1, 5);
    Transition ended = core.tick(split, NOW + 20, 5, 7);
    assertThat(events(ended)).contains("-failover-abort-not-elected");
    assertThat(ended.state().agreement().failover()).isNull();
  }

  @Test
  void aForcedFailoverNobodyAnswersEndsAfterTheElectionTimeout() {
    Transition started = core.force(healthy(), NOW, 4, false).orElseThrow();
    Transition waiting = core.tick(started.state(), NOW + 100, 5, 7);
    assertThat(waiting.effects()).as("asks again while waiting").contains(new Effect.AskPeers(true, 5));
    Transition over = core.tick(waiting.state(),
        NOW + FailoverTuning.DEFAULT.electionTimeoutMs() + 1, 5, 7);
    assertThat(events(over)).contains("-failover-abort-not-elected");
    assertThat(over.state().agreement().failover()).isNull();
  }

  @Test
  void aDaemonAloneInItsGroupIsItsOwnMajority() {
    Transition t = core.force(knowingNoPeer(1), NOW, 4, false).orElseThrow();
    assertThat(events(t)).contains("+elected-leader");
    assertThat(t.effects().stream().filter(e -> e instanceof Effect.Emit)
        .map(e -> ((Effect.Emit) e).event()).map(SentinelEvent::type)).contains("+selected-slave");
  }

  /**
   * A daemon that knows fewer peers than its group's quorum says watch it (right after SENTINEL
   * REMOVE+MONITOR: no peer known yet) is not a majority by itself: it counts the quorum as
   * voters. It used to win alone, while the peers it had forgotten elected another leader in
   * the same epoch (simulation seed 241978).
   */
  @Test
  void aDaemonThatKnowsFewerPeersThanTheQuorumIsNotElectedAlone() {
    Transition t = core.force(knowingNoPeer(2), NOW, 4, false).orElseThrow();
    assertThat(events(t)).contains("+try-failover").doesNotContain("+elected-leader");
    Transition over = core.tick(t.state(), NOW + FailoverTuning.DEFAULT.electionTimeoutMs() + 1, 5, 7);
    assertThat(events(over)).contains("-failover-abort-not-elected");
    assertThat(over.state().agreement().failover()).isNull();
  }

  /**
   * A candidate still waiting for votes that gives its vote to a later candidate (which is how a
   * split resolves) steps down: it could otherwise still win its own epoch with its voters'
   * votes while the later one wins the next with its vote, and both would promote. The same for
   * forced failovers and ODOWN ones (one election count).
   */
  @Test
  void aCandidateThatVotesForALaterOneStepsDown() {
    Transition started = core.force(healthy(), NOW, 4, false).orElseThrow();
    var votedOn = core.vote(started.state(), 5, 6, P2, NOW + 10, 0);
    assertThat(votedOn.leader()).as("a split is resolved by voting on").isEqualTo(P2);
    assertThat(votedOn.leaderEpoch()).isEqualTo(6);
    assertThat(votedOn.state().agreement().failover()).isNull();
    assertThat(votedOn.effects()).anyMatch(e -> e instanceof Effect.Emit m
        && m.event().type().equals("-failover-abort-not-elected"));
    assertThat(votedOn.state().agreement().retryNotBefore())
        .as("and gives the one it voted for its chance").isGreaterThanOrEqualTo(
            NOW + 10 + FailoverTuning.DEFAULT.electionTimeoutMs());
    Transition later = core.tick(answered(votedOn.state(), P1, ME, 5), NOW + 120, 6, 7);
    assertThat(events(later)).doesNotContain("+elected-leader", "+try-failover");
    long holdEnds = votedOn.state().agreement().retryNotBefore();
    assertThat(core.force(votedOn.state(), holdEnds - 1, 6, false))
        .as("SENTINEL FAILOVER: -INPROG while the vote holds").isEmpty();
    assertThat(core.force(votedOn.state(), holdEnds, 6, false)).isPresent();
  }

  /** Votes are asked in the failover's epoch, though a hello has raised the current one since. */
  @Test
  void aCandidateAsksInItsElectionsEpoch() {
    Transition started = core.force(healthy(), NOW, 4, false).orElseThrow();
    Transition waiting = core.tick(started.state(), NOW + 100, 6, 7);
    assertThat(waiting.effects()).contains(new Effect.AskPeers(true, 5));
  }
}
