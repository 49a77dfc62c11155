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
 * After the quarantine ended on a complete proof with floor F, the forgotten identity may have
 * voted in any epoch up to F: those are refused (and blocked) for good, F + 1 is granted.
 */
class VoteFloorTest {
  private static final String ME = "a".repeat(40);
  private static final String CANDIDATE = "b".repeat(40);
  private static final Address MASTER = new Address("10.0.0.1", 6379);

  @Test
  void epochsUpToTheFloorAreRefusedAndBlockedTheNextIsGranted() {
    QuarantineGate gate = new QuarantineGate(60_000, 0);
    FailoverCore core = new FailoverCore(ME, Timing.DEFAULT, FailoverTuning.DEFAULT, gate);
    GroupState g = GroupState.initial(MasterSpec.of("mymaster", MASTER, 2),
        GroupRecord.fresh("mymaster", MASTER), 0);
    assertThat(core.abstaining(1_000)).isTrue();
    gate.endWithFloor(5);
    assertThat(core.abstaining(1_000)).as("ended long before its time").isFalse();

    var atFloor = core.vote(g, 5, 5, CANDIDATE, 1_000, 0);
    assertThat(atFloor.leader()).isNull();
    assertThat(atFloor.state().leaderEpoch()).as("epoch 5 blocked").isEqualTo(5);
    assertThat(atFloor.persist()).isTrue();
    assertThat(core.vote(g, 5, 3, CANDIDATE, 1_000, 0).leader()).as("below the floor").isNull();

    var above = core.vote(atFloor.state(), 5, 6, CANDIDATE, 1_000, 0);
    assertThat(above.leader()).isEqualTo(CANDIDATE);
    assertThat(above.leaderEpoch()).isEqualTo(6);
    assertThat(above.currentEpoch()).isEqualTo(6);
  }

  @Test
  void aLowerFloorNeverLowersTheGate() {
    QuarantineGate gate = new QuarantineGate(60_000, 7);
    gate.endWithFloor(3);
    assertThat(gate.floor()).isEqualTo(7);
    assertThat(gate.abstaining(0)).isFalse();
  }
}
