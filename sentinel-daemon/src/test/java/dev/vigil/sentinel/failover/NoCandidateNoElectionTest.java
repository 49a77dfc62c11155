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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A daemon that knows no replica it could promote does not stand for election: elected, it could
 * only abort with -failover-abort-no-good-slave, and every election it wins takes the votes of
 * the daemons that could promote one. The simulation (operators during faults, seed 1176) found
 * a daemon that had lost its state, and so its replica list, winning every epoch for 25 s that
 * way while the group stayed without a master.
 */
class NoCandidateNoElectionTest {
  private static final Address MASTER = new Address("10.0.0.1", 6379);
  private static final Address R1 = new Address("10.0.0.2", 6379);
  private static final long NOW = 100_000;

  private final FailoverCore core = new FailoverCore("b".repeat(40), Timing.DEFAULT,
      FailoverTuning.DEFAULT);

  /** The master down for a while, watched by this daemon alone (quorum 1), with these replicas. */
  private static GroupState masterDown(Map<Address, NodeState> replicas) {
    MasterSpec spec = MasterSpec.of("m", MASTER, 1).withDownAfter(Duration.ofMillis(1_000));
    NodeState master = new NodeState(MASTER, new Link(true, NOW - 5_000, NOW - 5_000, NOW - 5_000,
        NOW - 5_000), null, -1, true, NOW - 3_000, -1, -1, false);
    return new GroupState(spec, 4, 4, master, replicas, Map.of(), Agreement.IDLE);
  }

  private static NodeState replica(int priority) {
    NodeInfo info = new NodeInfo("run", NodeRole.REPLICA, MASTER, false, 3_000, priority, 1_000,
        true, List.of(), -1, null);
    return new NodeState(R1, new Link(true, NOW - 50, -1, NOW - 40, NOW - 40), info, NOW - 100,
        false, -1, -1, -1, false);
  }

  private boolean tries(GroupState g) {
    return core.tick(g, NOW, 4, 0).effects().stream().anyMatch(e -> e instanceof Effect.Emit em
        && em.event().type().equals("+try-failover"));
  }

  @Test
  void withNoReplicaToPromoteItDoesNotAskForVotes() {
    assertThat(tries(masterDown(Map.of()))).isFalse();
    assertThat(tries(masterDown(Map.of(R1, replica(0))))).as("priority 0 only").isFalse();
    var t = core.tick(masterDown(Map.of()), NOW, 4, 0);
    assertThat(t.state().agreement().odown()).as("still ODOWN, and says so").isTrue();
    assertThat(t.effects()).noneMatch(e -> e instanceof Effect.AdoptEpoch);
  }

  @Test
  void withOneItStandsAtOnce() {
    assertThat(tries(masterDown(Map.of(R1, replica(100))))).isTrue();
  }
}
