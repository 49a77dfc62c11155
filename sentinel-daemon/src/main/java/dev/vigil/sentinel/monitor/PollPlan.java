package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.Timing;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a group's tick sends, as a pure function shared by the daemon's shell and the failover
 * simulation: PING every link that is due (at least five times per down-after), INFO to nodes
 * (fast while the master is down or a replica is still syncing, every 100 ms for the nodes a
 * failover is acting on), and hellos every publish period.
 */
public final class PollPlan {
  private PollPlan() {}

  /** A connection as the shell sees it. */
  public record LinkView(Address address, boolean peer, boolean up, boolean infoInFlight,
      long lastInfoRequestAt) {}

  /** What to send now. */
  public record Actions(List<Address> ping, List<Address> info, boolean hello) {}

  /** How often a failover re-reads the nodes it promotes or re-points. */
  public static final long FAILOVER_INFO_PERIOD_MS = 100;

  public static Actions next(GroupState state, Timing timing, long now, List<LinkView> links,
      long lastHelloAt) {
    long pingPeriod = timing.pingPeriodFor(state.spec().downAfter());
    boolean masterTrouble = state.master().sdown();
    Failover f = state.agreement().failover();
    List<Address> ping = new ArrayList<>();
    List<Address> info = new ArrayList<>();
    for (LinkView l : links) {
      if (!l.up()) {
        continue;
      }
      if (linkOf(state, l.address()).map(x -> x.pingDue(now, pingPeriod)).orElse(false)) {
        ping.add(l.address());
      }
      if (l.peer() || l.infoInFlight()) {
        continue;
      }
      // As Sentinel: poll fast while the master is down or a replica's own link is not up yet.
      boolean replicaSyncing = state.node(l.address()).map(n -> n.info() != null
          && n.role() == NodeRole.REPLICA && !n.info().masterLinkUp()).orElse(false);
      long infoPeriod = (masterTrouble || replicaSyncing ? timing.fastInfoPeriod()
          : timing.infoPeriod()).toMillis();
      if (f != null && (l.address().equals(f.promoted()) || f.reconf().containsKey(l.address()))) {
        // Promotion and re-pointing are confirmed within a tenth of a second, not at 1 s INFO.
        infoPeriod = Math.min(infoPeriod, FAILOVER_INFO_PERIOD_MS);
      }
      if (l.lastInfoRequestAt() < 0 || now - l.lastInfoRequestAt() >= infoPeriod) {
        info.add(l.address());
      }
    }
    boolean hello = lastHelloAt < 0 || now - lastHelloAt >= timing.publishPeriod().toMillis();
    return new Actions(ping, info, hello);
  }

  private static Optional<Link> linkOf(GroupState state, Address a) {
    Optional<NodeState> n = state.node(a);
    return n.isPresent() ? n.map(NodeState::link) : state.peerAt(a).map(PeerState::link);
  }
}
