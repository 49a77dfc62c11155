package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.FailoverTuning;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.Agreement;
import dev.vigil.sentinel.monitor.DownReport;
import dev.vigil.sentinel.monitor.Effect;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Link;
import dev.vigil.sentinel.monitor.NodeInfo;
import dev.vigil.sentinel.monitor.NodeRole;
import dev.vigil.sentinel.monitor.NodeState;
import dev.vigil.sentinel.monitor.PeerState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The instant a held-back failover may start, which the shell wakes up for: the start stagger
 * (peers with smaller run ids that see the master down go first) and the back-off after a split
 * vote (candidates retry in run id order). Each is the instant {@link FailoverCore#tick} starts
 * at, not before.
 */
class StartDueAtTest {
  private static final String FIRST = "a".repeat(40);
  private static final String ME = "b".repeat(40);
  private static final String LAST = "c".repeat(40);
  private static final Address MASTER = new Address("10.0.0.1", 6379);
  private static final Address R1 = new Address("10.0.0.2", 6379);
  private static final long NOW = 100_000;
  private static final FailoverTuning TUNING = FailoverTuning.DEFAULT;

  private final FailoverCore core = new FailoverCore(ME, Timing.DEFAULT, TUNING);

  private static PeerState peer(String id, int n, boolean reportsDown) {
    return new PeerState(id, new Address("10.0.1." + n, 26379), new Link(true, NOW - 50, -1,
        NOW - 40, NOW - 40), NOW - 500, false, -1, null, 0,
        reportsDown ? new DownReport(NOW - 10, MASTER, 4, true) : null);
  }

  /** Three daemons, quorum 2, the master down for 3 s, a healthy replica; ODOWN since NOW. */
  private static GroupState odown(boolean firstReportsDown) {
    MasterSpec spec = MasterSpec.of("m", MASTER, 2).withDownAfter(Duration.ofMillis(1_000));
    NodeState master = new NodeState(MASTER, new Link(true, NOW - 5_000, NOW - 5_000, NOW - 5_000,
        NOW - 5_000), null, -1, true, NOW - 3_000, -1, -1, false);
    NodeInfo info = new NodeInfo("run", NodeRole.REPLICA, MASTER, false, 3_000, 100, 1_000, true,
        List.of(), -1, null);
    NodeState replica = new NodeState(R1, new Link(true, NOW - 50, -1, NOW - 40, NOW - 40), info,
        NOW - 100, false, -1, -1, -1, false);
    Map<String, PeerState> peers = Map.of(FIRST, peer(FIRST, 1, firstReportsDown),
        LAST, peer(LAST, 3, true));
    return new GroupState(spec, 4, 4, master, Map.of(R1, replica), peers,
        Agreement.IDLE.withOdown(true, NOW));
  }

  private boolean starts(GroupState g, long at) {
    return core.tick(g, at, 4, 0).effects().stream().anyMatch(e -> e instanceof Effect.Emit em
        && em.event().type().equals("+try-failover"));
  }

  @Test
  void aDaemonBehindOneDownReporterWaitsOneStagger() {
    GroupState g = odown(true);
    long due = NOW + TUNING.startStaggerMs();
    assertThat(core.startDueAt(g, NOW)).isEqualTo(due);
    assertThat(starts(g, due - 1)).isFalse();
    assertThat(starts(g, due)).isTrue();
    assertThat(core.startDueAt(g, due)).as("due: nothing left to wait for")
        .isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void theFirstInRunIdOrderAmongReportersDoesNotWait() {
    GroupState g = odown(false); // the smaller run id does not report the master down
    assertThat(core.startDueAt(g, NOW)).isEqualTo(Long.MIN_VALUE);
    assertThat(starts(g, NOW)).isTrue();
  }

  @Test
  void nothingIsDueWithoutOdownOrDuringAFailover() {
    GroupState g = odown(true);
    assertThat(core.startDueAt(g.withAgreement(Agreement.IDLE), NOW)).isEqualTo(Long.MIN_VALUE);
    GroupState started = core.tick(g, NOW + TUNING.startStaggerMs(), 4, 0).state();
    assertThat(started.agreement().failover()).isNotNull();
    assertThat(core.startDueAt(started, NOW + TUNING.startStaggerMs())).isEqualTo(Long.MIN_VALUE);
  }

  /**
   * Each daemon voted for itself in epoch 5: the split is final once every vote is in. The
   * second in run id order retries retry-min plus one stagger (and its jitter within it) later.
   */
  @Test
  void afterASplitVoteTheRetryIsDueInRunIdOrder() {
    long at = NOW + TUNING.startStaggerMs();
    GroupState started = core.tick(odown(true), at, 4, 0).state();
    long epoch = started.agreement().failover().epoch();
    GroupState first = core.peerAnswer(started, FIRST, true, FIRST, epoch, MASTER, 4, at + 2);
    GroupState voted = core.peerAnswer(first, LAST, true, LAST, epoch, MASTER, 4, at + 3);
    long jitter = 7;
    var split = core.tick(voted, at + 3, epoch, jitter);
    assertThat(split.effects()).anyMatch(e -> e instanceof Effect.Emit em
        && em.event().type().equals("-failover-abort-not-elected"));
    long due = at + 3 + TUNING.retryMinMs() + TUNING.startStaggerMs() + jitter;
    assertThat(core.startDueAt(split.state(), at + 3)).isEqualTo(due);
    assertThat(starts(split.state(), due - 1)).isFalse();
    assertThat(starts(split.state(), due)).isTrue();
  }
}
