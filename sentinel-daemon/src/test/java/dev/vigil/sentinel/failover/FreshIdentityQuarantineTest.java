package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.FailoverTuning;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.state.GroupRecord;
import org.junit.jupiter.api.Test;

/**
 * A daemon that lost its state may have voted, under its old identity, in any epoch it hears of:
 * during the quarantine it refuses every vote and blocks those epochs for good. Without this the
 * simulation finds two leaders in one epoch (as Sentinel can have after losing sentinel.conf).
 */
class FreshIdentityQuarantineTest {
  private static final String ME = "a".repeat(40);
  private static final String CANDIDATE = "b".repeat(40);
  private static final Address MASTER = new Address("10.0.0.1", 6379);

  private static GroupState fresh() {
    return GroupState.initial(MasterSpec.of("mymaster", MASTER, 2),
        GroupRecord.fresh("mymaster", MASTER), 0);
  }

  @Test
  void refusesAndBlocksEpochsHeardDuringQuarantine() {
    FailoverCore core = new FailoverCore(ME, Timing.DEFAULT, FailoverTuning.DEFAULT, 5_000);
    var refused = core.vote(fresh(), 0, 3, CANDIDATE, 1_000, 0);
    assertThat(refused.leader()).isNull();
    assertThat(refused.currentEpoch()).isEqualTo(3);
    assertThat(refused.persist()).as("the blocked epoch is persisted before the reply").isTrue();
    assertThat(refused.state().leaderEpoch()).isEqualTo(3);

    var sameEpochLater = core.vote(refused.state(), 3, 3, CANDIDATE, 6_000, 0);
    assertThat(sameEpochLater.leader()).as("epoch 3 stays blocked after the quarantine").isNull();
    var nextEpoch = core.vote(refused.state(), 3, 4, CANDIDATE, 6_000, 0);
    assertThat(nextEpoch.leader()).isEqualTo(CANDIDATE);
    assertThat(nextEpoch.leaderEpoch()).isEqualTo(4);
  }

  @Test
  void aDaemonWithItsStateVotesAtOnce() {
    FailoverCore core = new FailoverCore(ME, Timing.DEFAULT, FailoverTuning.DEFAULT);
    var granted = core.vote(fresh(), 0, 3, CANDIDATE, 1_000, 0);
    assertThat(granted.leader()).isEqualTo(CANDIDATE);
    assertThat(granted.leaderEpoch()).isEqualTo(3);
  }
}
