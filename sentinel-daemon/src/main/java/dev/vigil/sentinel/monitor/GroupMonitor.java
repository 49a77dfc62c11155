package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.Timing;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The monitoring decisions for one group, as pure functions of (state, observation, now): link
 * bookkeeping, SDOWN, discovery of replicas from the master's INFO and of peers from hellos, and
 * following a newer configuration announced by a peer. No I/O and no clock reads: the shell feeds
 * observations in and carries the returned effects out.
 */
public final class GroupMonitor {
  private final String myId;
  private final Timing timing;
  private final long forgetAfterMillis;

  public GroupMonitor(String myId, Timing timing, long forgetAfterMillis) {
    this.myId = myId;
    this.timing = timing;
    this.forgetAfterMillis = forgetAfterMillis;
  }

  public Transition connected(GroupState s, Address a, long now) {
    return updateLink(s, a, l -> l.connected(now));
  }

  public Transition disconnected(GroupState s, Address a, long now) {
    return updateLink(s, a, l -> l.disconnected(now));
  }

  public Transition pingSent(GroupState s, Address a, long now) {
    return updateLink(s, a, l -> l.pingSent(now));
  }

  /**
   * A PING reply. A node that answers again after leaving PINGs unanswered for longer than a ping
   * period (a stopped process resumed, a partition healed) is asked INFO at once: if it is the
   * master we replaced and it still claims master, every moment until the next INFO period (up to
   * 10 s) is a moment its old clients can write to a node that is about to be wiped. The wait is
   * counted from the first PING left unanswered, not from the last reply: counted from the reply,
   * a node answering every PING at once looked silent for a whole period at each one, and was
   * asked INFO at one PING in two (at 500 groups, 685 INFOs a second where Sentinel sends 150).
   */
  public Transition pingReply(GroupState s, Address a, boolean acceptable, long now) {
    Transition t = updateLink(s, a, l -> l.pingReply(acceptable, now));
    Optional<NodeState> node = s.node(a);
    if (acceptable && node.isPresent() && returning(node.get(), s, now)) {
      return new Transition(t.state(), List.of(new Effect.RefreshInfo(a)));
    }
    return t;
  }

  private boolean returning(NodeState n, GroupState s, long now) {
    return n.sdown()
        || n.link().answerWaitedFor(now) > timing.pingPeriodFor(s.spec().downAfter());
  }

  private Transition updateLink(GroupState s, Address a,
      java.util.function.UnaryOperator<Link> change) {
    Optional<NodeState> node = s.node(a);
    if (node.isPresent()) {
      return Transition.none(s.withNode(node.get().withLink(change.apply(node.get().link()))));
    }
    Optional<PeerState> peer = s.peerAt(a);
    if (peer.isPresent()) {
      return Transition.none(s.withPeer(peer.get().withLink(change.apply(peer.get().link()))));
    }
    return Transition.none(s);
  }

  /** An INFO reply from a node: role tracking, reboots, and replicas listed by the master. */
  public Transition info(GroupState s, Address a, NodeInfo info, long now) {
    Optional<NodeState> found = s.node(a);
    if (found.isEmpty()) {
      return Transition.none(s);
    }
    NodeState before = found.get();
    boolean isMaster = a.equals(s.masterAddress());
    List<Effect> effects = new ArrayList<>();
    NodeState after = before.withInfo(info, now);
    if (before.runId() != null && info.runId() != null && !before.runId().equals(info.runId())) {
      boolean empty = isMaster && info.role() == NodeRole.MASTER && info.keys() == 0
          && s.replicas().values().stream().anyMatch(r -> r.info() != null && r.info().keys() > 0);
      effects.add(emit(s, a, "+reboot", empty
          ? "restarted empty while its replicas hold data: treated as down, not followed" : null));
      after = after.withRebornEmpty(empty);
    } else if (before.rebornEmpty() && info.keys() != 0) {
      after = after.withRebornEmpty(false);
    }
    if (before.info() != null && before.role() != info.role()) {
      boolean coherent = (info.role() == NodeRole.MASTER) == isMaster;
      effects.add(emit(s, a, coherent ? "+role-change" : "-role-change",
          "new reported role is " + info.role().wireName()));
    }
    GroupState next = s.withNode(after);
    if (!isMaster && info.runId() != null) {
      Transition t = forgetOldAddress(next, a, info.runId(), effects);
      next = t.state();
      if (!next.replicas().containsKey(a)) {
        return t;
      }
    }
    // The master's replicas are the group's; so are those of a node of the group that still
    // claims master (a replaced master before it is demoted): demoted, it would keep them as
    // replicas of a replica, which no daemon that lost its state would ever learn of or re-point.
    if (info.role() == NodeRole.MASTER) {
      for (NodeInfo.ReplicaLine line : info.replicas()) {
        Address r = line.address();
        if (r.equals(a) || r.equals(s.masterAddress())) {
          continue;
        }
        NodeState existing = next.replicas().get(r);
        if (existing == null) {
          next = next.withNode(NodeState.watching(r, now));
          effects.add(new Effect.Connect(r, false));
          effects.add(emit(next, r, "+slave", null));
          effects.add(new Effect.PersistLater());
        } else if (existing.goneSince() >= 0) {
          next = next.withNode(existing.withGoneSince(-1));
        }
      }
    }
    return new Transition(next, effects);
  }

  /** A hello about this group from a peer: discovery, epochs, newer configurations. */
  public Transition hello(GroupState s, Hello h, long currentEpoch, long now) {
    if (h.runId().equals(myId) || !h.masterName().equals(s.name())) {
      return Transition.none(s);
    }
    List<Effect> effects = new ArrayList<>();
    GroupState next = s;
    PeerState peer = next.peers().get(h.runId());
    if (peer == null) {
      // A new run id at a known address replaces the old entry (a restarted daemon that lost its
      // state, or a pod that kept its stable name): the voter count stays the same.
      Optional<PeerState> sameAddress = next.peerAt(h.sentinel());
      if (sameAddress.isPresent()) {
        next = next.withoutPeer(sameAddress.get().runId());
        effects.add(new Effect.Emit(SentinelEvent.sentinel("+sentinel-invalid-addr",
            sameAddress.get().runId(), h.sentinel(), s.name(), s.masterAddress(), null)));
      } else {
        effects.add(new Effect.Connect(h.sentinel(), true));
      }
      peer = PeerState.discovered(h.runId(), h.sentinel(), now);
      effects.add(new Effect.Emit(SentinelEvent.sentinel("+sentinel", h.runId(), h.sentinel(),
          s.name(), s.masterAddress(), null)));
      effects.add(new Effect.PersistLater());
    } else if (!peer.address().equals(h.sentinel())) {
      effects.add(new Effect.Disconnect(peer.address()));
      effects.add(new Effect.Connect(h.sentinel(), true));
      effects.add(new Effect.Emit(new SentinelEvent("+sentinel-address-switch",
          "master " + s.name() + " " + s.masterAddress().host() + " " + s.masterAddress().port()
              + " ip " + h.sentinel().host() + " port " + h.sentinel().port() + " for " + h.runId())));
      peer = peer.withAddress(h.sentinel(), now);
      effects.add(new Effect.PersistLater());
    }
    next = next.withPeer(peer.withHelloAt(now));
    if (h.currentEpoch() > currentEpoch) {
      effects.add(new Effect.AdoptEpoch(h.currentEpoch()));
    }
    if (h.masterConfigEpoch() > next.configEpoch() || (h.masterConfigEpoch() == next.configEpoch()
        && ourMasterFollows(next, h.master()))) {
      if (!h.master().equals(next.masterAddress())) {
        Address old = next.masterAddress();
        effects.add(new Effect.Emit(SentinelEvent.sentinel("+config-update-from", h.runId(),
            h.sentinel(), s.name(), old, null)));
        next = next.switchedTo(h.master(), h.masterConfigEpoch(), now);
        effects.add(new Effect.Emit(new SentinelEvent("+switch-master", s.name() + " "
            + old.host() + " " + old.port() + " " + h.master().host() + " " + h.master().port())));
        effects.add(new Effect.Connect(h.master(), false));
        effects.add(new Effect.RefreshInfo(h.master()));
      } else {
        next = next.withConfigEpoch(h.masterConfigEpoch());
      }
      effects.add(new Effect.Persist());
    }
    return new Transition(next, effects);
  }

  /**
   * Re-evaluates SDOWN for every node and peer, and forgets replicas that have been gone for
   * forget-after (replicas only: peers are never dropped, as that would shrink the voter set).
   */
  public Transition tick(GroupState s, long now) {
    // Allocates nothing when nothing changes: it runs ten times a second for every group.
    List<Effect> effects = List.of();
    long downAfter = s.spec().downAfter().toMillis();
    GroupState next = s;
    NodeState master = s.master();
    boolean masterDown = master.link().unavailableFor(now) > downAfter
        || masterClaimsReplica(master, downAfter, now) || master.rebornEmpty();
    if (masterDown != master.sdown()) {
      next = next.withNode(master.withSdown(masterDown, now));
      effects = LazyList.added(effects, emit(s, master.address(), masterDown ? "+sdown" : "-sdown",
          null));
      if (masterDown) {
        // A failover may start within milliseconds: it must choose on fresh replica INFO,
        // not on what the normal INFO period left (up to 10 s old).
        for (Address r : s.replicas().keySet()) {
          effects.add(new Effect.RefreshInfo(r));
        }
      }
    }
    for (NodeState n : s.replicas().values()) {
      boolean down = n.link().unavailableFor(now) > downAfter;
      NodeState updated = n;
      if (down != n.sdown()) {
        updated = updated.withSdown(down, now);
        effects = LazyList.added(effects, emit(s, n.address(), down ? "+sdown" : "-sdown", null));
      }
      if (down || updated.goneSince() >= 0) {
        boolean gone = down && !listedByMaster(s, n.address());
        if (gone && updated.goneSince() < 0) {
          updated = updated.withGoneSince(now);
        } else if (!gone && updated.goneSince() >= 0) {
          updated = updated.withGoneSince(-1);
        }
        if (gone && now - updated.goneSince() > forgetAfterMillis) {
          next = next.withoutReplica(n.address());
          effects = LazyList.added(effects, new Effect.Disconnect(n.address()));
          effects.add(emit(s, n.address(), "-slave", "forgotten after "
              + forgetAfterMillis / 1000 + "s gone"));
          effects.add(new Effect.PersistLater());
          continue;
        }
      }
      if (updated != n) {
        next = next.withNode(updated);
      }
    }
    for (PeerState p : s.peers().values()) {
      boolean down = p.link().unavailableFor(now) > downAfter;
      if (down != p.sdown()) {
        next = next.withPeer(p.withSdown(down, now));
        effects = LazyList.added(effects, new Effect.Emit(SentinelEvent.sentinel(
            down ? "+sdown" : "-sdown", p.runId(), p.address(), s.name(), s.masterAddress(), null)));
      }
    }
    return new Transition(next, effects);
  }

  /**
   * The earliest time at which {@link #tick} could decide anything for {@code s} if nothing is
   * observed meanwhile, or {@code Long.MIN_VALUE} when it may at any tick (a node or peer is
   * SDOWN, a replica is going, the master came back empty): for any earlier time, tick returns
   * {@code s} with no effects. Lets the shell skip a healthy group's ticks between deadlines.
   */
  public long nextChangeAt(GroupState s) {
    long downAfter = s.spec().downAfter().toMillis();
    NodeState master = s.master();
    if (master.sdown() || master.rebornEmpty()) {
      return Long.MIN_VALUE;
    }
    long next = master.link().downAt(downAfter);
    if (master.role() == NodeRole.REPLICA && master.roleChangedAt() >= 0) {
      next = Math.min(next, master.roleChangedAt() + downAfter + 2 * timing.infoPeriod().toMillis()
          + 1);
    }
    for (NodeState n : s.replicas().values()) {
      if (n.sdown() || n.goneSince() >= 0) {
        return Long.MIN_VALUE;
      }
      next = Math.min(next, n.link().downAt(downAfter));
    }
    for (PeerState p : s.peers().values()) {
      if (p.sdown()) {
        return Long.MIN_VALUE;
      }
      next = Math.min(next, p.link().downAt(downAfter));
    }
    return next;
  }

  /**
   * One replica known at two addresses (the same run id answers at both): the master lists the one
   * it replicates to, the other is an address the node no longer announces, e.g. the plaintext port
   * after a node moved its {@code replica-announce-port} to its TLS port (a migration to TLS only).
   * As long as that port still answers, the old entry would never go SDOWN nor be forgotten, and a
   * failover could promote the node by an address about to close. Forgotten at once (Sentinel keeps
   * it until SENTINEL RESET); nothing is done while the master lists both or neither, is down, or a
   * failover runs.
   */
  private static Transition forgetOldAddress(GroupState s, Address a, String runId, List<Effect> effects) {
    // The master's list is what tells the two apart: not once it is down (its last INFO goes
    // stale), nor during a failover, which may be promoting or re-pointing either entry.
    if (s.agreement().failover() != null || s.master().sdown()) {
      return new Transition(s, effects);
    }
    for (NodeState other : s.replicas().values()) {
      if (other.address().equals(a) || !runId.equals(other.runId())) {
        continue;
      }
      boolean listsA = listedByMaster(s, a);
      if (listsA == listedByMaster(s, other.address())) {
        continue;
      }
      Address old = listsA ? other.address() : a;
      Address current = listsA ? a : other.address();
      effects.add(new Effect.Disconnect(old));
      effects.add(emit(s, old, "-slave", "the same node as " + current + ", which the master lists"));
      effects.add(new Effect.PersistLater());
      return new Transition(s.withoutReplica(old), effects);
    }
    return new Transition(s, effects);
  }

  private static boolean listedByMaster(GroupState s, Address a) {
    NodeInfo info = s.master().info();
    if (info == null) {
      return false;
    }
    for (NodeInfo.ReplicaLine l : info.replicas()) {
      if (l.address().equals(a)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the node we hold as master replicates, link up, from {@code other}: then a peer's hello
   * naming {@code other} at our own config epoch is followed. Equal epochs otherwise never move a
   * configuration (as in Sentinel), but two configurations can share an epoch: {@code SENTINEL
   * REMOVE}+{@code MONITOR} restarts the group at config epoch 0, and a daemon that lost its state
   * comes back at 0 with the configured master. When that master has since become a replica of the
   * peers' master, neither side ever moved, and the stale side, knowing no replica it could
   * promote, stalled for good (simulation seeds 200175, 349323, 439098). The node itself says
   * where the data flows from, so following it promotes nothing and demotes nothing; a master
   * that claims to be a replica would otherwise only end in a failover. Only on INFO taken since
   * the node became our master (a node just switched to keeps its replica-side INFO until its
   * refresh, and a stale peer's hello would switch us straight back), never towards a node we know
   * reports being a replica itself (two nodes replicating each other would swap us for ever), and
   * not while this daemon is promoting: its own failover decides then.
   */
  private static boolean ourMasterFollows(GroupState s, Address other) {
    NodeState master = s.master();
    NodeInfo info = master.info();
    if (info == null || master.infoAt() <= master.roleChangedAt() || info.role() != NodeRole.REPLICA
        || !other.equals(info.masterAddress()) || !info.masterLinkUp() || s.promotionUnderWay()) {
      return false;
    }
    Optional<NodeState> known = s.node(other);
    return known.isEmpty() || known.get().role() != NodeRole.REPLICA;
  }

  /** A master reporting itself a replica for down-after plus two INFO periods is down. */
  private boolean masterClaimsReplica(NodeState n, long downAfter, long now) {
    return n.role() == NodeRole.REPLICA && n.roleChangedAt() >= 0
        && now - n.roleChangedAt() > downAfter + 2 * timing.infoPeriod().toMillis();
  }

  private static Effect emit(GroupState s, Address node, String type, String extra) {
    if (node.equals(s.masterAddress())) {
      return new Effect.Emit(SentinelEvent.master(type, s.name(), node, extra));
    }
    return new Effect.Emit(SentinelEvent.replica(type, node, s.name(), s.masterAddress(), extra));
  }
}
