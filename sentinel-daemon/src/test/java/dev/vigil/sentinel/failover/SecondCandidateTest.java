package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.FailoverTuning;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.Failover;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.state.GroupRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A second candidate for the same master must not collect the first one's voters while the first
 * may still promote: seen in a clean-clone CI run, where a daemon leaving its fresh-identity
 * quarantine started epoch 2 a few milliseconds after epoch 1 had elected a leader, won it with
 * the votes of that leader and its voter, and promoted a second replica.
 */
class SecondCandidateTest {
  private static final String ME = "b".repeat(40);
  private static final String FIRST = "a".repeat(40);
  private static final String SECOND = "c".repeat(40);
  private static final Address MASTER = new Address("10.0.0.1", 6379);
  private static final long HOLD = FailoverTuning.DEFAULT.electionTimeoutMs();

  private static GroupState fresh() {
    return GroupState.initial(MasterSpec.of("mymaster", MASTER, 2),
        GroupRecord.fresh("mymaster", MASTER), 0);
  }

  @Test
  void aVoterRefusesAnotherCandidateWhileItsChoiceHasItsChance() {
    FailoverCore core = new FailoverCore(ME, Timing.DEFAULT, FailoverTuning.DEFAULT);
    var first = core.vote(fresh(), 0, 1, FIRST, 1_000, 0);
    assertThat(first.leader()).isEqualTo(FIRST);
    var second = core.vote(first.state(), 1, 2, SECOND, 1_010, 0);
    assertThat(second.leader()).as("still promised to the first candidate").isEqualTo(FIRST);
    assertThat(second.leaderEpoch()).isEqualTo(1);
    assertThat(second.currentEpoch()).as("the epoch is adopted all the same").isEqualTo(2);
    var again = core.vote(first.state(), 1, 2, FIRST, 1_010, 0);
    assertThat(again.leader()).as("the same candidate retrying is fine").isEqualTo(FIRST);
    var later = core.vote(first.state(), 1, 3, SECOND, 1_000 + HOLD + FailoverTuning.DEFAULT.retryMaxMs(), 0);
    assertThat(later.leader()).as("once its chance is over, another may win").isEqualTo(SECOND);
    assertThat(later.leaderEpoch()).isEqualTo(3);
  }

  @Test
  void aLeaderPastItsElectionRefusesEveryOtherCandidate() {
    FailoverCore core = new FailoverCore(ME, Timing.DEFAULT, FailoverTuning.DEFAULT);
    // Elected in epoch 1, promoting 10.0.0.2.
    GroupState elected = core.vote(fresh(), 0, 1, ME, 1_000, 0).state();
    GroupState leading = elected.withAgreement(elected.agreement().withFailover(new Failover(1,
        Failover.Phase.WAIT_PROMOTION, 1_000, 1_005, false, false, MASTER,
        new Address("10.0.0.2", 6379), java.util.Map.of())));
    var asked = core.vote(leading, 1, 2, SECOND, 1_010, 0);
    assertThat(asked.leader()).isEqualTo(ME);
    assertThat(asked.leaderEpoch()).isEqualTo(1);
    // Still a candidate waiting for votes, it keeps its vote as its voters do; once its
    // election is over (aborted: no failover), a later candidate gets it.
    GroupState waiting = elected.withAgreement(elected.agreement().withFailover(new Failover(1,
        Failover.Phase.WAIT_START, 1_000, 1_000, false, false, MASTER, null, java.util.Map.of())));
    var standing = core.vote(waiting, 1, 2, SECOND, 1_010, 0);
    assertThat(standing.leader()).isEqualTo(ME);
    assertThat(standing.leaderEpoch()).isEqualTo(1);
    assertThat(standing.currentEpoch()).as("the epoch is adopted all the same").isEqualTo(2);
    GroupState aborted = elected.withAgreement(elected.agreement().withFailover(null));
    assertThat(core.vote(aborted, 1, 2, SECOND, 1_010, 0).leader()).isEqualTo(SECOND);
  }

  /**
   * Four daemons; the first candidate (epoch 1) has its own vote and one voter's, a second voter's
   * is on its way; a second candidate asks for epoch 2. Giving it the vote lost the first
   * candidate its own vote in epoch 1's count, and the voters, promised to the first, refused the
   * second: a split until the holds ran out. Kept, the arriving vote elects the first.
   */
  @Test
  void aCandidateKeepsItsVoteAndWinsWithTheVoteStillOnItsWay() {
    FailoverCore core = new FailoverCore(ME, Timing.DEFAULT, FailoverTuning.DEFAULT);
    String v1 = "d".repeat(40);
    String v2 = "e".repeat(40);
    GroupState initial = GroupState.initial(MasterSpec.of("mymaster", MASTER, 3),
        GroupRecord.fresh("mymaster", MASTER), 0);
    java.util.Map<String, dev.vigil.sentinel.monitor.PeerState> peers = new java.util.HashMap<>();
    List<String> ids = List.of(FIRST, v1, v2);
    for (int i = 0; i < ids.size(); i++) {
      peers.put(ids.get(i), dev.vigil.sentinel.monitor.PeerState.discovered(ids.get(i),
          new Address("10.0.1." + (i + 1), 26379), 0));
    }
    GroupState g = new GroupState(initial.spec(), 0, 0, initial.master(), initial.replicas(),
        peers, initial.agreement());
    GroupState mine = core.vote(g, 0, 1, ME, 1_000, 0).state();
    mine = mine.withAgreement(mine.agreement().withFailover(new Failover(1,
        Failover.Phase.WAIT_START, 1_000, 1_000, false, false, MASTER, null, java.util.Map.of())));
    mine = core.peerAnswer(mine, v1, true, ME, 1, MASTER, 0, 1_010);
    var asked = core.vote(mine, 1, 2, FIRST, 1_020, 0);
    assertThat(asked.leader()).isEqualTo(ME);
    GroupState after = core.peerAnswer(asked.state(), v2, true, ME, 1, MASTER, 0, 1_030);
    var t = core.tick(after, 1_030, 2, 0);
    assertThat(t.effects()).anyMatch(e -> e instanceof dev.vigil.sentinel.monitor.Effect.Emit em
        && em.event().type().equals("+elected-leader"));
  }

  @Test
  void aQuarantinedDaemonThatSawACandidateDoesNotStartRightAfter() {
    FailoverCore core = new FailoverCore(ME, Timing.DEFAULT, FailoverTuning.DEFAULT, 5_000);
    var refused = core.vote(fresh(), 0, 1, FIRST, 4_990, 0);
    assertThat(refused.leader()).isNull();
    assertThat(refused.state().agreement().retryNotBefore()).isGreaterThanOrEqualTo(4_990 + HOLD);
  }
}
