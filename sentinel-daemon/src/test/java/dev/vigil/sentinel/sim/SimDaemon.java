package dev.vigil.sentinel.sim;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.failover.FailoverCore;
import dev.vigil.sentinel.failover.Quarantine;
import dev.vigil.sentinel.monitor.Effect;
import dev.vigil.sentinel.monitor.GroupMonitor;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.Hello;
import dev.vigil.sentinel.monitor.NodeState;
import dev.vigil.sentinel.monitor.PeerState;
import dev.vigil.sentinel.monitor.PollPlan;
import dev.vigil.sentinel.monitor.SentinelEvent;
import dev.vigil.sentinel.monitor.Transition;
import dev.vigil.sentinel.state.GroupRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A daemon in the simulation: the real pure cores ({@link GroupMonitor}, {@link FailoverCore}),
 * driven the way GroupRunner drives them (tick, PING/INFO/hello periods, effects), over the
 * simulated network. Its persisted record and epoch survive crashes, as the state file does.
 */
final class SimDaemon {
  String id;
  final Address address;
  private final Simulation sim;
  private final MasterSpec spec;
  private final Timing timing;
  private GroupMonitor monitor;
  private FailoverCore core;
  private int identities;
  boolean up = true;
  long currentEpoch;
  GroupState state;
  private GroupRecord persisted;
  private long persistedEpoch;
  /** The state file's fresh-identity quarantine end (virtual time stands in for the wall clock). */
  private long persistedQuarantineUntil;
  private final dev.vigil.sentinel.config.FailoverTuning tuning;
  private final Map<Address, Boolean> linked = new HashMap<>();
  private final Map<Address, Long> lastInfo = new HashMap<>();
  private final java.util.Set<Address> infoInFlight = new java.util.HashSet<>();
  private final Map<Address, Long> infoRequestOf = new HashMap<>();
  private long infoRequests;
  private long lastHello = -1;
  private long sdownDeadline;

  SimDaemon(Simulation sim, String id, Address address, MasterSpec spec, Timing timing,
      GroupRecord record) {
    this.sim = sim;
    this.id = id;
    this.address = address;
    this.spec = spec;
    this.timing = timing;
    this.monitor = new GroupMonitor(id, timing, 3_600_000);
    var d = dev.vigil.sentinel.config.FailoverTuning.DEFAULT;
    this.tuning = new dev.vigil.sentinel.config.FailoverTuning(d.electionTimeoutMs(),
        d.retryMinMs(), d.retryMaxMs(), d.reportValidityMs(), d.reconfSentTimeoutMs(),
        d.fastAskMs(), d.startStaggerMs(),
        Long.getLong("vigil.sim.quarantine", d.freshIdentityQuarantineMs()));
    this.core = new FailoverCore(id, timing, tuning);
    this.persisted = record;
    this.state = GroupState.initial(spec, record, sim.now);
  }

  void crash() {
    up = false;
    linked.clear();
  }

  /**
   * Restarts without the state file: a new run id, epochs 0, only the configured master known,
   * and the fresh-identity quarantine, as the real daemon does.
   */
  void restartLosingState() {
    sim.stateLost();
    startWithoutState();
    restart();
  }

  /**
   * Forgets everything the state file held: a new run id, epochs 0, only the configured master
   * known, and the fresh-identity quarantine from now on, as the real daemon starts.
   */
  void startWithoutState() {
    int index = Integer.parseInt(address.host().substring(address.host().lastIndexOf('.') + 1));
    id = String.format("%032x%08x", 0xeL, (index << 16) | ++identities);
    long remaining = Quarantine.remainingMs(true, 0, sim.now, tuning.freshIdentityQuarantineMs());
    monitor = new GroupMonitor(id, timing, 3_600_000);
    core = new FailoverCore(id, timing, tuning, sim.now + remaining);
    persistedQuarantineUntil = remaining > 0 ? sim.now + remaining : 0;
    persisted = GroupRecord.fresh(spec.name(), spec.address());
    persistedEpoch = 0;
    currentEpoch = 0;
    state = GroupState.initial(spec, persisted, sim.now);
  }

  /**
   * Restarts from what was persisted (votes' epochs, config epoch, master, peers, and the
   * quarantine's end), as SentinelDaemon starts from its state file.
   */
  void restart() {
    up = true;
    long remaining = Quarantine.remainingMs(false, persistedQuarantineUntil, sim.now,
        tuning.freshIdentityQuarantineMs());
    core = new FailoverCore(id, timing, tuning, remaining > 0 ? sim.now + remaining : -1);
    currentEpoch = persistedEpoch;
    state = GroupState.initial(spec, persisted, sim.now);
    linked.clear();
    lastInfo.clear();
    infoInFlight.clear();
    lastHello = -1;
  }

  private List<Address> targets() {
    List<Address> t = new ArrayList<>();
    t.add(state.masterAddress());
    t.addAll(state.replicas().keySet());
    state.peers().values().forEach(p -> t.add(p.address()));
    return t;
  }

  /**
   * GroupRunner's tick: connection changes as its links see them, then the decisions, then what
   * {@link PollPlan} says to send, the same function the shell uses.
   */
  void tick() {
    if (!up) {
      return;
    }
    long now = sim.now;
    for (Address a : targets()) {
      boolean reach = sim.reachable(this, a);
      if (!Boolean.valueOf(reach).equals(linked.getOrDefault(a, false))) {
        linked.put(a, reach);
        apply(reach ? monitor.connected(state, a, now) : monitor.disconnected(state, a, now));
        if (reach) {
          ping(a);
          lastInfo.remove(a);
          infoInFlight.remove(a);
        }
      }
    }
    apply(monitor.tick(state, now));
    apply(core.tick(state, now, currentEpoch, sim.random()));
    List<PollPlan.LinkView> views = new ArrayList<>();
    for (Address a : targets()) {
      boolean peer = state.node(a).isEmpty();
      views.add(new PollPlan.LinkView(a, peer, linked.getOrDefault(a, false),
          infoInFlight.contains(a), lastInfo.getOrDefault(a, -1L)));
    }
    PollPlan.Actions plan = PollPlan.next(state, timing, now, views, lastHello);
    plan.ping().forEach(this::ping);
    plan.info().forEach(this::info);
    if (plan.hello()) {
      hellos();
    }
    sim.checkDaemon(this);
  }

  private void ping(Address a) {
    apply(monitor.pingSent(state, a, sim.now));
    sim.send(this, a, () -> {
      boolean alive = sim.isUp(a);
      sim.send(a, this, () -> {
        apply(monitor.pingReply(state, a, alive, sim.now));
        if (alive && a.equals(state.masterAddress())) {
          // GroupRunner's SDOWN deadline: decide again the moment down-after runs out.
          long generation = ++sdownDeadline;
          sim.later(spec.downAfter().toMillis() + 1, () -> {
            if (up && generation == sdownDeadline) {
              apply(monitor.tick(state, sim.now));
              apply(core.tick(state, sim.now, currentEpoch, sim.random()));
            }
          });
        }
      });
    });
  }

  private void info(Address a) {
    lastInfo.put(a, sim.now);
    infoInFlight.add(a);
    long request = ++infoRequests;
    // NodeLink's command timeout: a request whose reply was lost stops blocking the next one.
    sim.later(1_000, () -> {
      if (infoRequestOf.getOrDefault(a, -1L) == request) {
        infoInFlight.remove(a);
      }
    });
    infoRequestOf.put(a, request);
    sim.send(this, a, () -> {
      SimNode n = sim.node(a);
      if (n == null || !n.up) {
        return;
      }
      var info = n.info(sim.nodes);
      sim.send(a, this, () -> {
        if (infoRequestOf.getOrDefault(a, -1L) == request) {
          infoInFlight.remove(a);
        }
        apply(monitor.info(state, a, info, sim.now));
        apply(core.info(state, a, info, sim.now));
      });
    });
  }

  private void hellos() {
    lastHello = sim.now;
    Hello h = new Hello(address, id, currentEpoch, state.name(), state.masterAddress(),
        state.configEpoch());
    for (SimDaemon d : sim.daemons) {
      if (d != this && sim.helloPath(this, d)) {
        sim.send(this, d.address, () -> d.onHello(h));
      }
    }
  }

  void onHello(Hello h) {
    if (up) {
      apply(monitor.hello(state, h, currentEpoch, sim.now));
    }
  }

  /** IS-MASTER-DOWN-BY-ADDR from a peer; null when this daemon is down. */
  Object[] onAsk(Address master, long epoch, String runId) {
    if (!up) {
      return null;
    }
    boolean down = state.master().sdown() && state.masterAddress().equals(master);
    if (runId.equals("*")) {
      return new Object[] {down, "*", 0L};
    }
    var outcome = core.vote(state, currentEpoch, epoch, runId, sim.now, sim.random());
    long before = currentEpoch;
    currentEpoch = Math.max(currentEpoch, outcome.currentEpoch());
    state = outcome.state();
    if (outcome.persist() || currentEpoch != before) {
      persist();
    }
    apply(new Transition(state, outcome.effects()));
    if (runId.equals(outcome.leader()) && outcome.leaderEpoch() == epoch && !runId.equals(id)) {
      sim.votedFor(this);
    }
    return new Object[] {down, outcome.leader() == null ? "*" : outcome.leader(), outcome.leaderEpoch()};
  }

  private void persist() {
    persisted = state.record();
    persistedEpoch = currentEpoch;
  }

  private void apply(Transition t) {
    if (!up) {
      return;
    }
    if (Boolean.getBoolean("vigil.sim.debug") && t.state().configEpoch() < state.configEpoch()) {
      System.out.println("DEBUG " + id.substring(36) + " t=" + sim.now + " config epoch "
          + state.configEpoch() + " -> " + t.state().configEpoch() + " master " + state.masterAddress()
          + " -> " + t.state().masterAddress() + " effects " + t.effects());
    }
    state = t.state();
    for (Effect e : t.effects()) {
      if (e instanceof Effect.Emit emit) {
        SentinelEvent ev = emit.event();
        sim.recordEvent(this, ev);
      } else if (e instanceof Effect.Persist) {
        persist();
      } else if (e instanceof Effect.AdoptEpoch a) {
        currentEpoch = Math.max(currentEpoch, a.epoch());
        persist();
      } else if (e instanceof Effect.AskPeers ask) {
        askPeers(ask.requestVote());
      } else if (e instanceof Effect.Promote p) {
        long epoch = state.agreement().failover() == null ? -1 : state.agreement().failover().epoch();
        sim.recordPromotion(this, epoch, p.replica());
        checkChoice(p.replica());
        var f = state.agreement().failover();
        if (f != null && !f.forced() && !f.oldMaster().equals(state.masterAddress())) {
          sim.violation("staleReportsIgnored: " + id + " promotes " + p.replica() + " in a failover of "
              + f.oldMaster() + " while its master is " + state.masterAddress());
        }
        sim.send(this, p.replica(), () -> sim.node(p.replica()).replicaOf(null));
        sim.later(50, () -> info(p.replica()));
      } else if (e instanceof Effect.ReplicaOf r) {
        sim.send(this, r.node(), () -> sim.node(r.node()).replicaOf(r.master(), r.unpause()));
      } else if (e instanceof Effect.Fence fence) {
        checkFence(fence);
        sim.send(this, fence.node(), () -> {
          SimNode n = sim.node(fence.node());
          n.pausedUntil = Math.max(n.pausedUntil, sim.now + fence.pauseMs());
        });
      } else if (e instanceof Effect.Unfence u) {
        sim.send(this, u.node(), () -> sim.node(u.node()).pausedUntil = -1);
      } else if (e instanceof Effect.PublishHelloNow) {
        hellos();
      } else if (e instanceof Effect.RefreshInfo r) {
        if (sim.reachable(this, r.node()) && !infoInFlight.contains(r.node())) {
          info(r.node());
        }
      }
    }
    sim.checkDaemon(this);
  }

  /**
   * oldMasterFenced, its target: only the master that this daemon's own failover replaces is
   * ever paused, only once REPLICAOF NO ONE went out for another node, and never for longer
   * than the failover-timeout that bounds the wait for the promotion.
   */
  private void checkFence(Effect.Fence fence) {
    var f = state.agreement().failover();
    if (f == null || f.phase() != dev.vigil.sentinel.monitor.Failover.Phase.WAIT_PROMOTION
        || f.promoted() == null || !fence.node().equals(f.oldMaster())
        || fence.node().equals(f.promoted())) {
      sim.violation("oldMasterFenced: " + id + " pauses " + fence.node() + " outside its own "
          + "promotion (failover " + f + ")");
    }
    if (fence.pauseMs() > spec.failoverTimeout().toMillis()) {
      sim.violation("oldMasterFenced: " + id + " pauses " + fence.node() + " for "
          + fence.pauseMs() + " ms, beyond the failover-timeout");
    }
  }

  /**
   * onlyHealthyCandidates and replicaOrderIsTotal, at the moment of each promotion, on the
   * daemon's own view: the chosen node is fit, and it comes first among all fit replicas in an
   * order that is antisymmetric for every pair.
   */
  private void checkChoice(Address chosen) {
    var candidates = dev.vigil.sentinel.failover.ReplicaSelection.candidates(state, sim.now, timing);
    NodeState c = state.replicas().get(chosen);
    if (c == null) {
      sim.violation("onlyHealthyCandidates: " + chosen + " promoted but not a known replica");
      return;
    }
    boolean fallback = candidates.isEmpty() && c.info() != null
        && c.info().role() == dev.vigil.sentinel.monitor.NodeRole.MASTER;
    if (!fallback && !candidates.contains(c)) {
      sim.violation("onlyHealthyCandidates: " + chosen + " promoted while not fit (sdown="
          + c.sdown() + ", link=" + c.link().connected() + ")");
    }
    var order = dev.vigil.sentinel.failover.ReplicaSelection.ORDER;
    for (NodeState other : candidates) {
      int ab = order.compare(c, other);
      int ba = order.compare(other, c);
      if (Integer.signum(ab) != -Integer.signum(ba) || (other != c && ab == 0)) {
        sim.violation("replicaOrderIsTotal: " + chosen + " and " + other.address() + " compare "
            + ab + "/" + ba);
      }
      if (!fallback && ab > 0) {
        sim.violation("replicaOrderIsTotal: " + other.address() + " ranks before the chosen " + chosen);
      }
    }
  }

  private void askPeers(boolean vote) {
    Address master = state.masterAddress();
    long configEpoch = state.configEpoch();
    long epoch = currentEpoch;
    String runId = vote ? id : "*";
    for (PeerState p : state.peers().values()) {
      SimDaemon peer = sim.daemonAt(p.address());
      if (peer == null) {
        continue;
      }
      sim.send(this, p.address(), () -> {
        Object[] reply = peer.onAsk(master, epoch, runId);
        if (reply != null) {
          sim.send(p.address(), this, () -> {
            if (!up) {
              return;
            }
            // Attributed to the run id we know at that address, as GroupRunner does: a peer that
            // lost its state answers under its old name until its hello arrives.
            state = core.peerAnswer(state, p.runId(), (Boolean) reply[0], (String) reply[1],
                (Long) reply[2], master, configEpoch, sim.now);
            if (state.agreement().failover() != null || state.master().sdown()) {
              apply(core.tick(state, sim.now, currentEpoch, sim.random()));
            }
          });
        }
      });
    }
  }
}
