package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.Timing;
import java.util.List;

/**
 * What a group's tick sends, as a pure function shared by the daemon's shell and the failover
 * simulation: PING every link that is due (at least five times per down-after), INFO to nodes
 * (fast while the master is down, a replica is still syncing or claims master, every 100 ms for
 * the nodes a failover is acting on), and hellos every publish period.
 */
public final class PollPlan {
  private PollPlan() {}

  /** A connection as the shell sees it. */
  public record LinkView(Address address, boolean peer, boolean up, boolean infoInFlight,
      long lastInfoRequestAt) {}

  /**
   * What to send now, and {@code nextAt}: the earliest time a later call could send anything once
   * these are sent, if nothing is observed meanwhile (a reply, a link up or down) and the state
   * and links stay as they are. While a link is down it is now: a link can come back before its
   * observation does, and such a group is polled every tick as it always was.
   */
  public record Actions(List<Address> ping, List<Address> info, boolean hello, long nextAt) {}

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
    long nextAt = Long.MAX_VALUE;
    for (LinkView l : links) {
      if (!l.up()) {
        nextAt = now; // see Actions
        continue;
      }
      Address a = l.address();
      NodeState n = nodeAt(state, a);
      Link link = n != null ? n.link() : peerLink(state, a);
      boolean pingDue = link != null && link.pingDue(now, pingPeriod);
      if (link != null && link.connected()) {
        nextAt = Math.min(nextAt, pingDue ? now + pingPeriod : link.lastPingSentAt() + pingPeriod);
      }
      if (pingDue) {
        ping = LazyList.added(ping, a);
      }
      if (l.peer() || l.infoInFlight()) {
        continue;
      }
      // As Sentinel: poll fast while the master is down or a replica's own link is not up yet.
      boolean replicaSyncing = n != null && n.info() != null && n.role() == NodeRole.REPLICA
          && !n.info().masterLinkUp();
      // And a node we list as a replica that claims master (an old master back, or one promoted
      // behind our back): it is demoted on an INFO once its claim has lasted four publish
      // periods, so that INFO must not wait out the 10 s period (the simulation's
      // oldMasterDemoted bound, seed 4479 with operators).
      boolean claimsMaster = n != null && n != state.master() && n.info() != null
          && n.role() == NodeRole.MASTER;
      long infoPeriod = replicaSyncing || claimsMaster ? fastInfo : slowInfo;
      if (f != null && (a.equals(f.promoted()) || f.reconf().containsKey(a))) {
        // Promotion and re-pointing are confirmed within a tenth of a second, not at 1 s INFO.
        infoPeriod = Math.min(infoPeriod, FAILOVER_INFO_PERIOD_MS);
      }
      if (l.lastInfoRequestAt() < 0 || now - l.lastInfoRequestAt() >= infoPeriod) {
        info = LazyList.added(info, a); // in flight from now: its reply is an observation
      } else {
        nextAt = Math.min(nextAt, l.lastInfoRequestAt() + infoPeriod);
      }
    }
    long publishPeriod = timing.publishPeriod().toMillis();
    boolean hello = lastHelloAt < 0 || now - lastHelloAt >= publishPeriod;
    nextAt = Math.min(nextAt, hello ? now + publishPeriod : lastHelloAt + publishPeriod);
    return new Actions(ping, info, hello, nextAt);
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
