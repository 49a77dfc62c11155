package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.FailoverTuning;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.Failover;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.state.GroupRecord;
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
    // Still a candidate waiting for votes, it may give its vote away (a split is resolved so).
    GroupState waiting = elected.withAgreement(elected.agreement().withFailover(new Failover(1,
        Failover.Phase.WAIT_START, 1_000, 1_000, false, false, MASTER, null, java.util.Map.of())));
    assertThat(core.vote(waiting, 1, 2, SECOND, 1_010, 0).leader()).isEqualTo(SECOND);
  }

  @Test
  void aQuarantinedDaemonThatSawACandidateDoesNotStartRightAfter() {
    FailoverCore core = new FailoverCore(ME, Timing.DEFAULT, FailoverTuning.DEFAULT, 5_000);
    var refused = core.vote(fresh(), 0, 1, FIRST, 4_990, 0);
    assertThat(refused.leader()).isNull();
    assertThat(refused.state().agreement().retryNotBefore()).isGreaterThanOrEqualTo(4_990 + HOLD);
  }
}
