package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.Timing;
import java.util.List;

/**
 * What a group's tick sends, as a pure function shared by the daemon's shell and the failover
 * simulation: PING every link that is due (at least five times per down-after), INFO to nodes
 * (fast while the master is down, a replica is still syncing or claims master, every 100 ms for
 * the nodes a failover is acting on), and hellos every publish period.
 *
 * <p>A node gets its PING, PUBLISH and INFO in one write where that costs nothing, and answers
 * them in one (at 500 groups a third fewer writes and reads, on the daemon and on the nodes, than
 * with each command on its own schedule). Two rules keep them in step. A period is counted to
 * the nearest tick, not rounded up to the next one: with the timer's jitter, "at least 1000 ms"
 * came out as 1000 or 1100 at random, and the commands drifted apart a tick at a time; now each
 * runs every so many ticks, in step with the others once they are. And they are put in step once:
 * a hello round also pings every link whose PING is at least half a ping period old, a round of
 * pings sends the hellos due within half a ping period, and a link being pinged is asked its
 * periodic INFO up to half a ping period early. Nothing is ever sent later than on its own
 * period, nor a PING or hello more than twice as often.
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
    Due due = new Due(now, timing.tickPeriod().toMillis() / 2);
    long pull = pingPeriod / 2; // how early a command goes with another, see the class comment
    boolean pingsDue = false;
    for (LinkView l : links) {
      Link link = l.up() ? linkAt(state, l.address()) : null;
      pingsDue |= link != null && link.connected() && due.now(link.lastPingSentAt(), pingPeriod);
    }
    long publishPeriod = timing.publishPeriod().toMillis();
    boolean hello = due.now(lastHelloAt, publishPeriod)
        || pingsDue && due.now(lastHelloAt, publishPeriod - Math.min(pull, publishPeriod / 2));
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
      boolean pingDue = link != null && link.connected()
          && (due.now(link.lastPingSentAt(), pingPeriod)
              || hello && due.now(link.lastPingSentAt(), pingPeriod - pull));
      if (link != null && link.connected()) {
        nextAt = Math.min(nextAt, pingDue ? due.at(now, pingPeriod)
            : due.at(link.lastPingSentAt(), pingPeriod));
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
      long early = pingDue && infoPeriod > pingPeriod ? pull : 0;
      if (due.now(l.lastInfoRequestAt(), infoPeriod - early)) {
        info = LazyList.added(info, a); // in flight from now: its reply is an observation
      } else {
        nextAt = Math.min(nextAt, due.at(l.lastInfoRequestAt(), infoPeriod));
      }
    }
    nextAt = Math.min(nextAt, hello ? due.at(now, publishPeriod) : due.at(lastHelloAt, publishPeriod));
    return new Actions(ping, info, hello, nextAt);
  }

  /**
   * When something last done at {@code last} (-1: never) is due again every {@code period},
   * counted to the nearest tick: up to half a tick early rather than up to a tick late.
   */
  private record Due(long now, long halfTick) {
    boolean now(long last, long period) {
      return last < 0 || now >= at(last, period);
    }

    long at(long last, long period) {
      return last + period - halfTick;
    }
  }

  private static Link linkAt(GroupState state, Address a) {
    NodeState n = nodeAt(state, a);
    return n != null ? n.link() : peerLink(state, a);
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
