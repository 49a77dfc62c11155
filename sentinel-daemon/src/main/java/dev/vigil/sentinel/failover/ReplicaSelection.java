package dev.vigil.sentinel.failover;

import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.NodeRole;
import dev.vigil.sentinel.monitor.NodeState;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which replica to promote (Sentinel's sentinelSelectSlave, made total): only healthy replicas
 * are candidates, ordered by replica-priority (lower first), replication offset (higher first),
 * run id (lexicographic, unknown last), and finally address so the order is total even between
 * replicas that share a run id.
 */
public final class ReplicaSelection {
  /** The candidate order; total and transitive (the {@code replicaOrderIsTotal} invariant). */
  public static final Comparator<NodeState> ORDER = Comparator
      .comparingInt(ReplicaSelection::priority)
      .thenComparing(Comparator.comparingLong(ReplicaSelection::offset).reversed())
      .thenComparing(n -> n.runId() == null ? null : n.runId().toLowerCase(Locale.ROOT),
          Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparing(n -> n.address().host())
      .thenComparingInt(n -> n.address().port());

  private ReplicaSelection() {}

  /**
   * The replica to promote, or empty when none is fit (Sentinel's -failover-abort-no-good-slave).
   * When no replica is fit but a node we know as a replica is already acting as a healthy master
   * (someone promoted it, and our configuration lost track), that node is chosen: "promoting" it
   * changes nothing on it, loses nothing, and lets the group converge where Sentinel would retry
   * forever.
   */
  public static Optional<NodeState> choose(GroupState g, long now, Timing timing) {
    Optional<NodeState> followed = followedByMaster(g, now, timing);
    if (followed.isPresent()) {
      return followed;
    }
    Optional<NodeState> replica = candidates(g, now, timing).stream().min(ORDER);
    if (replica.isPresent()) {
      return replica;
    }
    return g.replicas().values().stream()
        .filter(r -> r.info() != null && r.info().role() == NodeRole.MASTER
            && isFit(g, r, now, timing))
        .min(ORDER);
  }

  /**
   * A node we know as a replica that acts as a healthy master and that the master we watch
   * reports following: someone promoted it (a failover whose leader lost track of it before it
   * saw the promotion) and the master already replicates it, so it has every write the master
   * has and more. Promoting any other replica would discard what it took since (the simulation
   * found a group promoting a replica 265 offset units behind it, seed 1176 with operators).
   */
  private static Optional<NodeState> followedByMaster(GroupState g, long now, Timing timing) {
    var info = g.master().info();
    if (info == null || info.role() != NodeRole.REPLICA || info.masterAddress() == null) {
      return Optional.empty();
    }
    NodeState r = g.replicas().get(info.masterAddress());
    return r != null && r.info() != null && r.info().role() == NodeRole.MASTER
        && isFit(g, r, now, timing) ? Optional.of(r) : Optional.empty();
  }

  /** Every replica fit for promotion, unordered. */
  public static List<NodeState> candidates(GroupState g, long now, Timing timing) {
    return g.replicas().values().stream().filter(r -> isHealthy(g, r, now, timing)).toList();
  }

  /**
   * The {@code onlyHealthyCandidates} rule: not SDOWN, connected, answered PING within five ping
   * periods, INFO fresh (five ping periods while the master is down, else three INFO periods),
   * replica-priority not 0, reporting itself a replica, and its master link not down longer than
   * ten down-after periods beyond the master's own outage.
   */
  public static boolean isHealthy(GroupState g, NodeState r, long now, Timing timing) {
    return r.info() != null && r.info().role() == NodeRole.REPLICA && isFit(g, r, now, timing);
  }

  /** Every rule of {@link #isHealthy} but the role. */
  private static boolean isFit(GroupState g, NodeState r, long now, Timing timing) {
    long pingPeriod = timing.pingPeriod().toMillis();
    if (r.sdown() || !r.link().connected() || r.info() == null) {
      return false;
    }
    if (now - r.link().lastOkReplyAt() > 5 * pingPeriod) {
      return false;
    }
    if (r.info().priority() == 0) {
      return false;
    }
    boolean masterDown = g.master().sdown();
    long maxInfoAge = masterDown ? 5 * pingPeriod : 3 * timing.infoPeriod().toMillis();
    if (r.infoAt() < 0 || now - r.infoAt() > maxInfoAge) {
      return false;
    }
    long masterOutage = masterDown ? now - g.master().sdownSince() : 0;
    long maxLinkDown = masterOutage + 10 * g.spec().downAfter().toMillis();
    return r.info().masterLinkDownMs() <= maxLinkDown;
  }

  private static int priority(NodeState n) {
    return n.info() == null ? Integer.MAX_VALUE : n.info().priority();
  }

  private static long offset(NodeState n) {
    return n.info() == null ? -1 : n.info().replOffset();
  }
}
