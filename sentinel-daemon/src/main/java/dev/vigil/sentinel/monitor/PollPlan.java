package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.Timing;
import java.util.List;

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
    // Loops, no streams or optionals: this runs ten times a second for every group.
    long pingPeriod = timing.pingPeriodFor(state.spec().downAfter());
    boolean masterTrouble = state.master().sdown();
    long slowInfo = (masterTrouble ? timing.fastInfoPeriod() : timing.infoPeriod()).toMillis();
    long fastInfo = timing.fastInfoPeriod().toMillis();
    Failover f = state.agreement().failover();
    List<Address> ping = List.of();
    List<Address> info = List.of();
    for (LinkView l : links) {
      if (!l.up()) {
        continue;
      }
      Address a = l.address();
      NodeState n = nodeAt(state, a);
      Link link = n != null ? n.link() : peerLink(state, a);
      if (link != null && link.pingDue(now, pingPeriod)) {
        ping = LazyList.added(ping, a);
      }
      if (l.peer() || l.infoInFlight()) {
        continue;
      }
      // As Sentinel: poll fast while the master is down or a replica's own link is not up yet.
      boolean replicaSyncing = n != null && n.info() != null && n.role() == NodeRole.REPLICA
          && !n.info().masterLinkUp();
      long infoPeriod = replicaSyncing ? fastInfo : slowInfo;
      if (f != null && (a.equals(f.promoted()) || f.reconf().containsKey(a))) {
        // Promotion and re-pointing are confirmed within a tenth of a second, not at 1 s INFO.
        infoPeriod = Math.min(infoPeriod, FAILOVER_INFO_PERIOD_MS);
      }
      if (l.lastInfoRequestAt() < 0 || now - l.lastInfoRequestAt() >= infoPeriod) {
        info = LazyList.added(info, a);
      }
    }
    boolean hello = lastHelloAt < 0 || now - lastHelloAt >= timing.publishPeriod().toMillis();
    return new Actions(ping, info, hello);
  }

  private static NodeState nodeAt(GroupState state, Address a) {
    return state.master().address().equals(a) ? state.master() : state.replicas().get(a);
  }

  private static Link peerLink(GroupState state, Address a) {
    for (PeerState p : state.peers().values()) {
      if (p.address().equals(a)) {
        return p.link();
      }
    }
    return null;
  }
}
