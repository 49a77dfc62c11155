package dev.vigil.sentinel.monitor;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.state.GroupRecord;
import dev.vigil.sentinel.state.KnownSentinel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one daemon knows about one master group at an instant. Immutable: every observation
 * produces a new state, so the group's event loop can publish it to readers (the command server,
 * metrics) with a single volatile write.
 */
public record GroupState(
    MasterSpec spec,
    long configEpoch,
    long leaderEpoch,
    NodeState master,
    Map<Address, NodeState> replicas,
    Map<String, PeerState> peers,
    Agreement agreement) {

  public GroupState {
    replicas = FrozenMap.of(replicas);
    peers = FrozenMap.of(peers);
  }

  /** The state at start: the configured (or last persisted) master, known replicas and peers. */
  public static GroupState initial(MasterSpec spec, GroupRecord record, long now) {
    Map<Address, NodeState> replicas = new LinkedHashMap<>();
    for (Address r : record.knownReplicas()) {
      if (!r.equals(record.masterAddress())) {
        replicas.put(r, NodeState.watching(r, now));
      }
    }
    Map<String, PeerState> peers = new LinkedHashMap<>();
    for (KnownSentinel s : record.knownSentinels()) {
      peers.put(s.runId(), PeerState.discovered(s.runId(), s.address(), now));
    }
    return new GroupState(spec.withAddress(record.masterAddress()), record.configEpoch(),
        record.leaderEpoch(), NodeState.watching(record.masterAddress(), now), replicas, peers,
        Agreement.IDLE);
  }

  public GroupState withAgreement(Agreement a) {
    return new GroupState(spec, configEpoch, leaderEpoch, master, replicas, peers, a);
  }

  /** Our vote changed (persisted by the caller before any reply depends on it). */
  public GroupState withVote(String leader, long epoch) {
    return new GroupState(spec, configEpoch, epoch, master, replicas, peers,
        agreement.withLeader(leader));
  }

  /** A newer configuration adopted: a failover of ours from an epoch it supersedes is over. */
  public GroupState withConfigEpoch(long epoch) {
    return new GroupState(spec, epoch, leaderEpoch, master, replicas, peers, superseded(agreement, epoch));
  }

  private static Agreement superseded(Agreement a, long configEpoch) {
    Failover f = a.failover();
    return f != null && f.epoch() <= configEpoch ? a.withFailover(null) : a;
  }

  /**
   * The master changed: a failover of ours ends unless it is the one that promoted the new master,
   * whatever its epoch. It was about a master that is gone, and continuing it would fail over the
   * new, healthy one (as Sentinel resets a master's failover state on a configuration update).
   */
  private static Agreement supersededBySwitch(Agreement a, long configEpoch, Address newMaster) {
    Failover f = a.failover();
    if (f != null && (f.promoted() == null || !f.promoted().equals(newMaster))) {
      return a.withFailover(null);
    }
    return superseded(a, configEpoch);
  }

  /** Every peer's reports about the master dropped (after the master changed). */
  public GroupState withoutDownReports() {
    Map<String, PeerState> m = new LinkedHashMap<>();
    peers.forEach((k, p) -> m.put(k, p.answered(null, null, 0)));
    return new GroupState(spec, configEpoch, leaderEpoch, master, replicas, m, agreement);
  }

  /**
   * Whether this daemon leads a failover of the group past its election: replicas may already be
   * detached or re-pointed and the promotion sent, and only this failover knows it, so dropping
   * it (SENTINEL RESET or REMOVE) could leave nodes that follow neither the old master nor any
   * daemon's configuration.
   */
  public boolean promotionUnderWay() {
    Failover f = agreement.failover();
    return f != null && f.phase() != Failover.Phase.WAIT_START;
  }

  public String name() {
    return spec.name();
  }

  public Address masterAddress() {
    return master.address();
  }

  /** The record persisted for this group. */
  public GroupRecord record() {
    List<KnownSentinel> sentinels = peers.values().stream()
        .map(p -> new KnownSentinel(p.address(), p.runId())).toList();
    return new GroupRecord(name(), masterAddress(), configEpoch, leaderEpoch,
        List.copyOf(replicas.keySet()), sentinels);
  }

  /** The master or replica at an address. */
  public Optional<NodeState> node(Address a) {
    if (master.address().equals(a)) {
      return Optional.of(master);
    }
    return Optional.ofNullable(replicas.get(a));
  }

  public Optional<PeerState> peerAt(Address a) {
    return peers.values().stream().filter(p -> p.address().equals(a)).findFirst();
  }

  public GroupState withNode(NodeState n) {
    if (n.address().equals(master.address())) {
      return new GroupState(spec, configEpoch, leaderEpoch, n, replicas, peers, agreement);
    }
    Map<Address, NodeState> r = new LinkedHashMap<>(replicas);
    r.put(n.address(), n);
    return new GroupState(spec, configEpoch, leaderEpoch, master, r, peers, agreement);
  }

  GroupState withoutReplica(Address a) {
    Map<Address, NodeState> r = new LinkedHashMap<>(replicas);
    r.remove(a);
    return new GroupState(spec, configEpoch, leaderEpoch, master, r, peers, agreement);
  }

  GroupState withPeer(PeerState p) {
    Map<String, PeerState> m = new LinkedHashMap<>(peers);
    m.put(p.runId(), p);
    return new GroupState(spec, configEpoch, leaderEpoch, master, replicas, m, agreement);
  }

  GroupState withoutPeer(String runId) {
    Map<String, PeerState> m = new LinkedHashMap<>(peers);
    m.remove(runId);
    return new GroupState(spec, configEpoch, leaderEpoch, master, replicas, m, agreement);
  }

  public GroupState withSpec(MasterSpec s) {
    return new GroupState(s.withAddress(master.address()), configEpoch, leaderEpoch, master,
        replicas, peers, agreement);
  }

  /**
   * Follows a newer configuration: the master moves to {@code newMaster}; the old master and the
   * other replicas stay as replicas (the old one will be turned into one when it returns).
   */
  public GroupState switchedTo(Address newMaster, long newConfigEpoch, long now) {
    Map<Address, NodeState> r = new LinkedHashMap<>();
    Address old = master.address();
    // The old master keeps its link state: if it is still connected (a coordinated switchover,
    // a stopped process) its link must not read as down, or it would look SDOWN for good.
    r.put(old, master);
    for (NodeState n : replicas.values()) {
      if (!n.address().equals(newMaster)) {
        r.put(n.address(), n);
      }
    }
    // The promoted node keeps its connection, but its role clock and its link's silence restart:
    // it reported "replica" until a moment ago, which must not read as a master claiming to be a
    // replica, and a PING left unanswered in the failover's busiest second (the node's promotion,
    // the replicas' resync, a loaded host) must not count towards the new master's down-after.
    // Either was a spurious SDOWN of the new master right after the switch, then a second
    // failover: the Sentinel failure mode of reference §5.4, seen in bin/soak under load.
    NodeState promoted = replicas.containsKey(newMaster)
        ? replicas.get(newMaster).withSdown(false, now).withRoleChangedAt(now)
            .withLink(replicas.get(newMaster).link().graceFrom(now))
        : NodeState.watching(newMaster, now);
    return new GroupState(spec.withAddress(newMaster), newConfigEpoch, leaderEpoch, promoted, r,
        peers, supersededBySwitch(agreement.withOdown(false, now), newConfigEpoch, newMaster));
  }
}
