package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.monitor.Failover;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.state.GroupRecord;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Found by FailoverTest: a daemon that started a failover of master A in epoch 2 just before the
 * epoch 1 winner's hello switched it to B carried on, had the election won, and failed over the
 * new, healthy B. A switch to another master now ends any failover that did not promote it.
 */
class SwitchEndsStaleFailoverTest {
  private static final Address A = new Address("10.0.0.1", 6379);
  private static final Address B = new Address("10.0.0.2", 6379);

  private static GroupState withFailover(Address promoted) {
    GroupState g = GroupState.initial(MasterSpec.of("m", A, 2), GroupRecord.fresh("m", A), 0);
    Failover f = new Failover(2, promoted == null ? Failover.Phase.WAIT_START : Failover.Phase.WAIT_PROMOTION,
        0, 0, false, false, A, promoted, Map.of());
    return g.withAgreement(g.agreement().withFailover(f));
  }

  @Test
  void aSwitchToAnotherMasterEndsAFailoverOfTheOldOneWhateverItsEpoch() {
    GroupState switched = withFailover(null).switchedTo(B, 1, 10);
    assertThat(switched.masterAddress()).isEqualTo(B);
    assertThat(switched.agreement().failover()).isNull();
  }

  @Test
  void aSwitchToTheNodeTheFailoverPromotesFollowsTheEpochRuleAlone() {
    // Only an older epoch's failover ends (FailoverCore re-installs its own after the switch).
    assertThat(withFailover(B).switchedTo(B, 1, 10).agreement().failover()).isNotNull();
    assertThat(withFailover(B).switchedTo(B, 2, 10).agreement().failover()).isNull();
  }
}
