package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Link;
import dev.vigil.sentinel.monitor.NodeInfo;
import dev.vigil.sentinel.monitor.NodeRole;
import dev.vigil.sentinel.monitor.NodeState;
import dev.vigil.sentinel.state.GroupRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code replicaOrderIsTotal}, {@code priorityZeroNeverSelected}, {@code onlyHealthyCandidates}. */
class ReplicaSelectionTest {
  private static final Address MASTER = new Address("10.0.0.1", 6379);
  private static final Timing TIMING = Timing.DEFAULT;

  private static NodeState randomReplica(SplittableRandom r, long now, int i) {
    Address a = new Address("10.0.0." + (2 + r.nextInt(4)), 6379 + r.nextInt(3) + i * 10);
    String[] runIds = {null, "aaa", "AAB", "bbb", "ccc"};
    NodeInfo info = r.nextInt(8) == 0 ? null : new NodeInfo(runIds[r.nextInt(runIds.length)],
        r.nextInt(6) == 0 ? NodeRole.MASTER : NodeRole.REPLICA, MASTER, r.nextBoolean(),
        r.nextInt(4) == 0 ? r.nextLong(0, 400_000) : 0, new int[] {0, 1, 100, 100, 50}[r.nextInt(5)],
        r.nextLong(0, 5), true, List.of(), -1, null);
    Link link = new Link(r.nextInt(6) != 0, now - 100, r.nextBoolean() ? -1 : now - 50,
        now - r.nextLong(0, 8_000), now - 10);
    boolean sdown = r.nextInt(6) == 0;
    return new NodeState(a, link, info, now - r.nextLong(0, 40_000), sdown, sdown ? now - 10 : -1,
        -1, -1, false);
  }

  private static GroupState group(SplittableRandom r, long now, List<NodeState> replicas) {
    MasterSpec spec = MasterSpec.of("m", MASTER, 2).withDownAfter(Duration.ofMillis(5_000));
    GroupState g = GroupState.initial(spec, GroupRecord.fresh("m", MASTER), now);
    Map<Address, NodeState> map = new LinkedHashMap<>();
    replicas.forEach(n -> map.put(n.address(), n));
    boolean masterDown = r.nextBoolean();
    NodeState master = g.master().withSdown(masterDown, now - r.nextLong(0, 20_000));
    return new GroupState(spec, 0, 0, master, map, Map.of(), dev.vigil.sentinel.monitor.Agreement.IDLE);
  }

  @Test
  void orderIsTotalAndTransitive() {
    SplittableRandom r = new SplittableRandom(42);
    long now = 1_000_000;
    List<NodeState> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      all.add(randomReplica(r, now, i));
    }
    for (NodeState a : all) {
      for (NodeState b : all) {
        int ab = Integer.signum(ReplicaSelection.ORDER.compare(a, b));
        int ba = Integer.signum(ReplicaSelection.ORDER.compare(b, a));
        assertThat(ab).isEqualTo(-ba);
        assertThat(ab == 0).isEqualTo(a.address().equals(b.address()));
        for (NodeState c : all) {
          if (ab <= 0 && ReplicaSelection.ORDER.compare(b, c) <= 0) {
            assertThat(ReplicaSelection.ORDER.compare(a, c)).isLessThanOrEqualTo(0);
          }
        }
      }
    }
  }

  @Test
  void onlyHealthyNonZeroPriorityReplicasAreChosenAndTheBestOfThem() {
    for (long seed = 0; seed < 5_000; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      long now = 1_000_000;
      List<NodeState> replicas = new ArrayList<>();
      int n = r.nextInt(0, 6);
      for (int i = 0; i < n; i++) {
        replicas.add(randomReplica(r, now, i));
      }
      GroupState g = group(r, now, replicas);
      var chosen = ReplicaSelection.choose(g, now, TIMING);
      final long s = seed;
      boolean anyHealthyReplica = g.replicas().values().stream()
          .anyMatch(x -> ReplicaSelection.isHealthy(g, x, now, TIMING));
      chosen.ifPresent(c -> {
        assertThat(c.info().priority()).as("seed %d", s).isNotZero();
        assertThat(c.sdown()).isFalse();
        assertThat(c.link().connected()).isTrue();
        // A node already acting as master is chosen only when no replica is fit.
        assertThat(c.info().role()).isEqualTo(anyHealthyReplica ? NodeRole.REPLICA : NodeRole.MASTER);
        assertThat(now - c.link().lastOkReplyAt()).isLessThanOrEqualTo(5 * TIMING.pingPeriod().toMillis());
        for (NodeState other : g.replicas().values()) {
          if (anyHealthyReplica && ReplicaSelection.isHealthy(g, other, now, TIMING)) {
            assertThat(ReplicaSelection.ORDER.compare(c, other)).isLessThanOrEqualTo(0);
          }
        }
      });
      if (chosen.isEmpty()) {
        assertThat(g.replicas().values()).noneMatch(x -> ReplicaSelection.isHealthy(g, x, now, TIMING));
      }
    }
  }

  @Test
  void lowerPriorityThenHigherOffsetThenRunIdWins() {
    long now = 1_000;
    NodeState a = replica("10.0.0.2", 100, 50, "bbb", now);
    NodeState b = replica("10.0.0.3", 10, 1, "ccc", now);
    NodeState c = replica("10.0.0.4", 100, 90, "aaa", now);
    NodeState d = replica("10.0.0.5", 100, 90, "AAA0", now);
    assertThat(java.util.stream.Stream.of(a, b, c, d).sorted(ReplicaSelection.ORDER).toList())
        .containsExactly(b, c, d, a);
  }

  /**
   * Someone promoted a replica and the master we watch now replicates it (the leader lost track
   * before it saw the promotion): that node has every write, the replicas still pointing at the
   * old master fewer, so it is chosen before any of them, even one of better priority.
   */
  @Test
  void aNodeTheMasterAlreadyFollowsIsChosenBeforeEveryReplica() {
    long now = 1_000;
    Address promoted = new Address("10.0.0.4", 6379);
    NodeState acting = new NodeState(promoted, new Link(true, now, -1, now, now),
        new NodeInfo("ddd", NodeRole.MASTER, null, false, 0, 100, 340, true, List.of(), -1, null),
        now, false, -1, -1, -1, false);
    NodeState better = replica("10.0.0.3", 10, 75, "ccc", now);
    MasterSpec spec = MasterSpec.of("m", MASTER, 2);
    GroupState g = GroupState.initial(spec, GroupRecord.fresh("m", MASTER), now);
    NodeState master = g.master().withInfo(new NodeInfo("aaa", NodeRole.REPLICA, promoted, true,
        0, 100, 338, true, List.of(), -1, null), now).withSdown(true, now);
    Map<Address, NodeState> replicas = new LinkedHashMap<>();
    replicas.put(better.address(), better);
    replicas.put(promoted, acting);
    GroupState followed = new GroupState(spec, 0, 0, master, replicas, Map.of(),
        dev.vigil.sentinel.monitor.Agreement.IDLE);
    assertThat(ReplicaSelection.choose(followed, now, TIMING)).contains(acting);

    // The same node while the master follows no one it knows: an ordinary replica wins.
    NodeState alone = g.master().withInfo(new NodeInfo("aaa", NodeRole.REPLICA,
        new Address("10.9.9.9", 6379), true, 0, 100, 338, true, List.of(), -1, null), now)
        .withSdown(true, now);
    GroupState unknown = new GroupState(spec, 0, 0, alone, replicas, Map.of(),
        dev.vigil.sentinel.monitor.Agreement.IDLE);
    assertThat(ReplicaSelection.choose(unknown, now, TIMING)).contains(better);
  }

  private static NodeState replica(String host, int priority, long offset, String runId, long now) {
    return new NodeState(new Address(host, 6379), new Link(true, now, -1, now, now),
        new NodeInfo(runId, NodeRole.REPLICA, MASTER, true, 0, priority, offset, true, List.of(), -1, null),
        now, false, -1, -1, -1, false);
  }
}
