package dev.vigil.sentinel.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which nodes a tick asks INFO of, and when: the cadence rules of {@link PollPlan}. */
class PollPlanTest {
  private static final Address MASTER = new Address("10.0.0.1", 6379);
  private static final Address R = new Address("10.0.0.2", 6379);
  private static final Timing T = Timing.DEFAULT; // INFO every 10 s, fast every 1 s
  private static final long NOW = 100_000;

  private static NodeState node(Address a, NodeRole role, boolean linkUp) {
    NodeInfo info = new NodeInfo("run", role, role == NodeRole.REPLICA ? MASTER : null, linkUp, 0,
        100, 10, true, List.of(), -1, null);
    return new NodeState(a, new Link(true, NOW, -1, NOW, NOW), info, NOW - 1, false, -1,
        NOW - 60_000, -1, false);
  }

  private static GroupState group(NodeState replica) {
    return new GroupState(MasterSpec.of("m", MASTER, 2), 1, 1, node(MASTER, NodeRole.MASTER, false),
        Map.of(R, replica), Map.of(), Agreement.IDLE);
  }

  /** Whether INFO goes to the replica at {@code NOW}, its last one {@code ago} ms before. */
  private static boolean infoDue(NodeState replica, long ago) {
    var links = List.of(new PollPlan.LinkView(R, false, true, false, NOW - ago));
    return PollPlan.next(group(replica), T, NOW, links, NOW).info().contains(R);
  }

  @Test
  void aHealthyReplicaIsAskedAtTheInfoPeriod() {
    NodeState healthy = node(R, NodeRole.REPLICA, true);
    assertThat(infoDue(healthy, 1_000)).isFalse();
    assertThat(infoDue(healthy, 10_000)).isTrue();
  }

  @Test
  void aSyncingReplicaOrOneClaimingMasterIsAskedAtTheFastPeriod() {
    assertThat(infoDue(node(R, NodeRole.REPLICA, false), 1_000)).as("syncing").isTrue();
    NodeState claims = node(R, NodeRole.MASTER, false);
    assertThat(infoDue(claims, 999)).isFalse();
    assertThat(infoDue(claims, 1_000)).as("a stale master awaiting demotion").isTrue();
  }
}
