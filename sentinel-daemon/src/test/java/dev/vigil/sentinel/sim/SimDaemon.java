package dev.vigil.sentinel.sim;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.FailoverTuning;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.daemon.GroupDriver;
import dev.vigil.sentinel.daemon.LinkIo;
import dev.vigil.sentinel.daemon.Tilt;
import dev.vigil.sentinel.server.VoteReply;
import dev.vigil.sentinel.failover.PreStopPlan;
import dev.vigil.sentinel.failover.Quarantine;
import dev.vigil.sentinel.failover.QuarantineGate;
import dev.vigil.sentinel.failover.QuarantineProof;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.NodeState;
import dev.vigil.sentinel.monitor.SentinelEvent;
import dev.vigil.sentinel.state.GroupRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.helpers.NOPLogger;

/**
 * A daemon process in the simulation: the production {@link GroupDriver} (and through it the
 * pure cores) over simulated links and timers on virtual time. Its persisted record and epoch
 * survive crashes, as the state file does; a crash discards the driver with its links, timers
 * and TILT state, a restart builds a new one from what was persisted.
 */
final class SimDaemon implements GroupDriver.Host {
  /**
   * -Dvigil.sim.proof=partial (the quarantine ends on the first other daemon's answer) or
   * nofloor (it ends on every answer, raising the epoch but blocking nothing): mutants of the
   * quarantine's early end, to see whether the invariants notice (election.pml refutes both).
   */
  private static final String PROOF_MUTANT = System.getProperty("vigil.sim.proof", "");
  /** How often a quarantined daemon asks again the addresses that have not answered yet. */
  static final long PROOF_RETRY_MS = 250;

  String id;
  final Address address;
  private final Simulation sim;
  private final MasterSpec spec;
  private final Timing timing;
  private final FailoverTuning tuning;
  private int identities;
  boolean up;
  /** How many times the process started: a promotion's leader is alive while this is unchanged. */
  int lives;
  /** When this daemon last forgot the group's past (no state, RESET, REMOVE+MONITOR), or -1. */
  long forgotAt = -1;
  /** The persisted global epoch: the real daemon's lives in its state file, written first. */
  long currentEpoch;
  private GroupRecord persisted;
  /** The state file's fresh-identity quarantine end (virtual time stands in for the wall clock). */
  private long persistedQuarantineUntil;
  /** The state file's end of the quarantine's asking (vigil-proof-until), or 0. */
  private long persistedProofUntil;
  private long abstainUntil = -1;
  /**
   * The state file's vote floor (sentinel vigil-vote-floor): the highest epoch this identity
   * never votes in, set when a proof ended its quarantine; kept by a restart, gone with the state.
   */
  private long persistedFloor;
  /** vigil.failover.peers: every daemon's address (this one's too), or empty when not configured. */
  private Set<Address> configuredPeers = Set.of();
  /** The tick's offset within its period: a restarted process keeps its place in the schedule. */
  private long tickPhase;
  /** Until when the process is stalled (a GC pause, a suspended VM): it runs nothing until then. */
  long stalledUntil = -1;
  /**
   * When the process could decide nothing: stalls and TILT, as [start, end) pairs (end -1 while
   * open). A failover's time bound counts only the rest: the leader cannot act meanwhile.
   */
  private final List<long[]> frozen = new ArrayList<>();

  /** The process stalls from now until {@code until}. */
  void stall(long until) {
    frozen.add(new long[] {sim.now, until});
    stalledUntil = Math.max(stalledUntil, until);
  }

  void tiltChanged(boolean entered) {
    if (entered) {
      frozen.add(new long[] {sim.now, -1});
    } else {
      for (long[] f : frozen) {
        if (f[1] < 0) {
          f[1] = sim.now;
        }
      }
    }
  }

  /** How much of [from, now) it spent stalled or in TILT (overlaps counted once). */
  long frozenSince(long from) {
    long total = 0;
    long coveredTo = from;
    List<long[]> sorted = new ArrayList<>(frozen);
    sorted.sort((a, b) -> Long.compare(a[0], b[0]));
    for (long[] f : sorted) {
      long start = Math.max(f[0], coveredTo);
      long end = Math.min(f[1] < 0 ? sim.now : f[1], sim.now);
      if (end > start) {
        total += end - start;
        coveredTo = end;
      }
    }
    return total;
  }
  private Incarnation current;

  /** One run of the process: its driver, open links, timers and TILT; gone with a crash. */
  private final class Incarnation implements GroupDriver.Loop, GroupDriver.Links {
    final Map<Address, SimLink> links = new LinkedHashMap<>();
    /** When each hello payload was last handed to the driver (see {@link #onHello}). */
    final Map<String, Long> hellosSeen = new java.util.HashMap<>();
    final Tilt tilt = new Tilt(() -> timing, e -> sim.recordEvent(SimDaemon.this, e));
    boolean alive = true;
    GroupDriver driver;
    /** What this run's groups read: read from the state file at start, as SentinelDaemon does. */
    final QuarantineGate gate = new QuarantineGate(abstainUntil, persistedFloor);
    final long startedAt = sim.now;
    /** The answers to this run's own epoch queries: an earlier run's never reach it. */
    QuarantineProof proof;

    @Override
    public void execute(Runnable r) {
      whenResponsive(() -> {
        if (alive) {
          r.run();
          sim.checkDaemon(SimDaemon.this);
        }
      });
    }

    @Override
    public GroupDriver.Cancel schedule(long delayMs, Runnable r) {
      boolean[] cancelled = {false};
      sim.later(delayMs, () -> {
        if (!cancelled[0]) {
          execute(r);
        }
      });
      return () -> cancelled[0] = true;
    }

    /**
     * The tick, at this process's phase; each tick first lets the links notice what changed in
     * the network (a link is as up as the path to its target), as the real links reconnect.
     */
    @Override
    public GroupDriver.Cancel every(long periodMs, Runnable r) {
      boolean[] cancelled = {false};
      long first = Math.floorMod(tickPhase - sim.now, periodMs);
      sim.later(first, new Runnable() {
        @Override
        public void run() {
          if (cancelled[0] || !alive) {
            return;
          }
          execute(() -> {
            refreshLinks();
            r.run();
          });
          // A stalled tick runs late; the next one follows a period after it ran.
          sim.later(Math.max(periodMs, stalledUntil - sim.now + periodMs), this);
        }
      });
      return () -> cancelled[0] = true;
    }

    @Override
    public LinkIo open(Address a, boolean peer, MasterSpec s, LinkIo.Events events) {
      SimLink l = new SimLink(sim, SimDaemon.this, a, peer, events);
      links.put(a, l);
      return l;
    }

    private void refreshLinks() {
      for (SimLink l : List.copyOf(links.values())) {
        if (l.closed) {
          // Only this link: a group monitored again may already have opened its successor.
          links.remove(l.address, l);
        } else {
          l.refresh();
        }
      }
    }
  }

  SimDaemon(Simulation sim, String id, Address address, MasterSpec spec, Timing timing,
      GroupRecord record) {
    this.sim = sim;
    this.id = id;
    this.address = address;
    this.spec = spec;
    this.timing = timing;
    var d = FailoverTuning.DEFAULT;
    this.tuning = new FailoverTuning(d.electionTimeoutMs(),
        d.retryMinMs(), d.retryMaxMs(), d.reportValidityMs(), d.reconfSentTimeoutMs(),
        d.fastAskMs(), d.startStaggerMs(),
        Long.getLong("vigil.sim.quarantine", d.freshIdentityQuarantineMs()));
    this.persisted = record;
  }

  GroupState state() {
    return current.driver.state();
  }

  /** The complete list of daemons, as vigil.failover.peers configures it. */
  void configurePeers(Set<Address> peers) {
    configuredPeers = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(peers));
  }

  /** Starts the process for the first time, ticking at {@code phase} within each period. */
  void boot(long phase) {
    tickPhase = phase;
    up = true;
    lives++;
    current = new Incarnation();
    current.driver = new GroupDriver(this, current, current, () -> sim.now, sim::random,
        NOPLogger.NOP_LOGGER, GroupState.initial(spec, persisted, sim.now));
    if (current.gate.abstaining(sim.now)) {
      sim.quarantineStarted(!configuredPeers.isEmpty());
    }
    if (!configuredPeers.isEmpty()
        && (current.gate.abstaining(sim.now) || sim.now < persistedProofUntil)) {
      // Within the quarantine, or restarted before every peer answered (SentinelDaemon.start).
      current.proof = QuarantineProof.start(id, configuredPeers);
      askEpochs(current);
    }
    current.driver.start();
  }

  // ---- the quarantine's proof: SENTINEL VIGIL-EPOCH to every configured address ----

  /**
   * Asks every address that has not answered yet for its current epoch, on new connections (a
   * message of this run), and again a retry period later while still quarantined: a lost query
   * or reply, a peer down or cut off, only delays the proof.
   */
  private void askEpochs(Incarnation run) {
    for (Address a : run.proof.waitingFor()) {
      if (a.equals(address)) {
        // Our own address: the real daemon's query reaches its own listener whatever the
        // network does to the pod, and the answer (our run id) adds nothing to the floor.
        sim.later(1, () -> run.execute(() -> epochAnswered(run, a, id, currentEpoch)));
        continue;
      }
      sim.send(this, a, () -> {
        SimDaemon peer = sim.daemonAt(a);
        peer.whenResponsive(() -> {
          if (peer.up) {
            String runId = peer.id;
            long epoch = peer.currentEpoch;
            sim.send(a, this, () -> run.execute(() -> epochAnswered(run, a, runId, epoch)));
          }
        });
      });
    }
    // Until every address has answered, more slowly after the timed end (QuarantineProber).
    boolean abstaining = run.gate.abstaining(sim.now);
    sim.later(abstaining ? PROOF_RETRY_MS : Quarantine.LATE_PERIOD_MS, () -> run.execute(() -> {
      if (!run.proof.complete() && (run.gate.abstaining(sim.now) || sim.now < persistedProofUntil)) {
        askEpochs(run);
      }
    }));
  }

  /**
   * An answer on this run's connection (execute drops it once the run is gone). Once every
   * configured address has answered, the floor is persisted with the epoch first, then the
   * quarantine ends, as the real daemon writes its state file before it opens the gate.
   */
  private void epochAnswered(Incarnation run, Address from, String runId, long epoch) {
    if (run.proof.complete()) {
      return;
    }
    run.proof = run.proof.answered(from, runId, epoch);
    boolean abstaining = run.gate.abstaining(sim.now);
    if (PROOF_MUTANT.isEmpty() && !(abstaining && run.proof.complete())) {
      // Each answer blocks the epochs up to its own, persisted first (SentinelDaemon.raiseVoteFloor);
      // after the timed end, the last one too (QuarantineProber).
      long partial = run.proof.partialFloor().orElse(0);
      if (run.proof.complete()) {
        persistedProofUntil = 0;
      }
      if (partial > run.gate.floor()) {
        currentEpoch = Math.max(currentEpoch, partial);
        persistedFloor = Math.max(persistedFloor, partial);
        run.gate.raiseFloor(partial);
      }
      return;
    }
    if (!abstaining) {
      return;
    }
    long floor;
    if (PROOF_MUTANT.equals("partial")) {
      if (from.equals(address)) {
        return;
      }
      floor = Math.max(currentEpoch,
          run.proof.answers().values().stream().mapToLong(Long::longValue).max().orElse(0));
    } else {
      var proven = run.proof.floor(currentEpoch);
      if (proven.isEmpty()) {
        return;
      }
      floor = proven.getAsLong();
    }
    currentEpoch = Math.max(currentEpoch, floor);
    persistedQuarantineUntil = Math.min(persistedQuarantineUntil, sim.now);
    persistedProofUntil = 0;
    if (PROOF_MUTANT.equals("nofloor")) {
      run.gate.endWithFloor(0);
    } else {
      persistedFloor = Math.max(persistedFloor, floor);
      run.gate.endWithFloor(floor);
    }
    sim.quarantineProven(this, sim.now - run.startedAt, floor);
  }

  void crash() {
    up = false;
    stalledUntil = -1;
    current.alive = false;
    current.driver.stop();
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
    forgotAt = sim.now;
    int index = Integer.parseInt(address.host().substring(address.host().lastIndexOf('.') + 1));
    id = String.format("%032x%08x", 0xeL, (index << 16) | ++identities);
    long remaining = Quarantine.remainingMs(true, 0, sim.now, tuning.freshIdentityQuarantineMs());
    abstainUntil = sim.now + remaining;
    persistedQuarantineUntil = remaining > 0 ? sim.now + remaining : 0;
    persistedProofUntil = remaining > 0 && !configuredPeers.isEmpty()
        ? sim.now + remaining + Quarantine.LATE_LIMIT_MS : 0;
    persisted = GroupRecord.fresh(spec.name(), spec.address());
    currentEpoch = 0;
    persistedFloor = 0;
  }

  /**
   * Restarts from what was persisted (votes' epochs, config epoch, master, peers, and the
   * quarantine's end), as SentinelDaemon starts from its state file.
   */
  void restart() {
    if (up) {
      crash();
    }
    long remaining = Quarantine.remainingMs(false, persistedQuarantineUntil, sim.now,
        tuning.freshIdentityQuarantineMs());
    abstainUntil = remaining > 0 ? sim.now + remaining : -1;
    boot(tickPhase);
  }

  /** Runs {@code r} now, or when a stall ends: a stalled process handles nothing meanwhile. */
  void whenResponsive(Runnable r) {
    if (sim.now < stalledUntil) {
      sim.at(stalledUntil, () -> whenResponsive(r));
    } else {
      r.run();
    }
  }

  /** Whether this process has an open link to a node, so its hello channel reaches us. */
  boolean subscribedTo(Address node) {
    SimLink l = up ? current.links.get(node) : null;
    return l != null && l.isUp() && !l.peer;
  }

  /**
   * A hello, from a peer or through a node's channel. Every node the sender links to relays the
   * same hello, within milliseconds of each other: the copies after the first within half a
   * publish period change nothing it did not (they only refresh the peer's last-hello time by
   * those milliseconds), so the simulation skips them to keep 10,000 seeds within its time.
   */
  void onHello(String payload) {
    if (!up) {
      return;
    }
    Long seen = current.hellosSeen.get(payload);
    if (seen != null && sim.now - seen < timing.publishPeriod().toMillis() / 2) {
      return;
    }
    current.hellosSeen.put(payload, sim.now);
    current.driver.helloReceived(payload);
  }

  /** SENTINEL FAILOVER [COORDINATED] from an operator, handled as SentinelCommands does. */
  void forceFailover(boolean coordinated) {
    if (up) {
      Incarnation run = current;
      run.execute(() -> run.driver.forceFailover(coordinated));
    }
  }

  /** SENTINEL RESET of the group, on the daemon's loop as GroupRunner runs it. */
  void reset() {
    if (up) {
      Incarnation run = current;
      run.execute(() -> {
        sim.failoverDropped(this, false);
        forgotAt = sim.now;
        run.driver.reset();
      });
    }
  }

  /**
   * SENTINEL REMOVE, then SENTINEL MONITOR of the same name at {@code master} (an operator
   * re-adding the group with the address GET-MASTER-ADDR gave it, or its original one), as
   * SentinelDaemon does: the group's driver and state go, a new one starts from
   * {@link GroupRecord#monitoredAt} and the current epoch.
   */
  void remonitor(Address master) {
    if (!up) {
      return;
    }
    Incarnation run = current;
    run.execute(() -> {
      run.driver.stop();
      sim.failoverDropped(this, true);
      forgotAt = sim.now;
      persisted = GroupRecord.monitoredAt(spec.name(), master, currentEpoch);
      run.driver = new GroupDriver(this, run, run, () -> sim.now, sim::random,
          NOPLogger.NOP_LOGGER, GroupState.initial(spec, persisted, sim.now));
      run.driver.start();
    });
  }

  /**
   * A pod's preStop hook for {@code node}, on this daemon: the steps PreStopSwitchover takes, a
   * tick-period apart, until the node may stop; then {@code stop} runs (the pod goes down). A
   * daemon that is down fails the hook, and the pod stops all the same.
   */
  void preStop(Address node, long deadline, long lastAsk, Runnable stop) {
    whenResponsive(() -> {
      if (!up) {
        stop.run();
        return;
      }
      var step = PreStopPlan.next(state(), node.host(), node.port(), sim.now, deadline, lastAsk,
          tuning.retryMaxMs());
      if (step instanceof PreStopPlan.HandedOver || step instanceof PreStopPlan.GiveUp) {
        sim.preStopDone(step instanceof PreStopPlan.HandedOver);
        stop.run();
        return;
      }
      long asked = lastAsk;
      if (step instanceof PreStopPlan.AskSwitchover) {
        current.driver.forceFailover(true);
        sim.checkDaemon(this);
        asked = sim.now;
      }
      long next = asked;
      sim.later(timing.tickPeriod().toMillis(), () -> preStop(node, deadline, next, stop));
    });
  }

  boolean inTiltNow() {
    return up && current.tilt.last().active();
  }

  /**
   * IS-MASTER-DOWN-BY-ADDR from a peer, answered as SentinelCommands does: only about a master
   * this daemon watches at that address, as Sentinel (a request about a master it has replaced
   * gets neither a report nor a vote); in TILT our view is stale: never report a master down, but
   * still vote. Null when this daemon is down.
   */
  LinkIo.PeerAnswer onAsk(Address master, long epoch, String runId) {
    if (!up) {
      return null;
    }
    if (!state().masterAddress().equals(master)) {
      // Seed 203243 voted here for a failover of the master this daemon had just replaced: a
      // second promotion 1.3 s after its own, a vote the real daemon does not give.
      return new LinkIo.PeerAnswer(false, null, 0);
    }
    boolean down = state().master().sdown() && !current.tilt.inTilt(sim.now);
    if (runId.equals("*")) {
      return new LinkIo.PeerAnswer(down, null, 0);
    }
    QuarantineGate gate = current.gate;
    if (!gate.abstaining(sim.now) && epoch <= gate.floor() && !runId.equals(id)) {
      sim.floorRefusal();
    }
    VoteReply v = current.driver.vote(epoch, runId);
    sim.checkDaemon(this);
    if (runId.equals(v.leader()) && v.leaderEpoch() == epoch && !runId.equals(id)) {
      sim.votedFor(this, runId, epoch);
    }
    return new LinkIo.PeerAnswer(down, v.leader(), v.leaderEpoch());
  }

  // ---- GroupDriver.Host ----

  @Override
  public String myId() {
    return id;
  }

  @Override
  public long currentEpoch() {
    return currentEpoch;
  }

  @Override
  public void adoptEpoch(long epoch) {
    currentEpoch = Math.max(currentEpoch, epoch);
  }

  @Override
  public void persist(GroupState g) {
    persisted = g.record();
  }

  @Override
  public void publish(SentinelEvent e) {
    sim.recordEvent(this, e);
  }

  @Override
  public Timing timing() {
    return timing;
  }

  @Override
  public FailoverTuning failoverSettings() {
    return tuning;
  }

  @Override
  public QuarantineGate quarantine() {
    return current.gate;
  }

  @Override
  public long forgetAfterMs() {
    return 3_600_000;
  }

  @Override
  public void noteTickGap(long gapMs, long now) {
    current.tilt.noteTickGap(gapMs, now);
  }

  @Override
  public boolean inTilt(long now) {
    return current.tilt.inTilt(now);
  }

  @Override
  public Address helloAddress(LinkIo via) {
    return address;
  }

  // ---- checks on what the driver sends ----

  /**
   * A REPLICAOF leaving this daemon. NO ONE is a promotion: atMostOneMasterPerEpoch,
   * onlyHealthyCandidates, replicaOrderIsTotal, staleReportsIgnored. Otherwise
   * replicaOfCurrentMaster: a node is only ever pointed at the master of the newest
   * configuration this daemon knows, or, by the leader of a newer epoch, at the replica it is
   * promoting in that epoch (the other replicas follow it from REPLICAOF NO ONE on).
   */
  void checkReplicaOf(Address node, Address master) {
    GroupState s = state();
    if (master != null) {
      var leading = s.agreement().failover();
      boolean promoting = leading != null && master.equals(leading.promoted())
          && leading.epoch() > s.configEpoch();
      if (!master.equals(s.masterAddress()) && !promoting) {
        sim.violation("replicaOfCurrentMaster: " + id + " sends REPLICAOF " + master + " to "
            + node + " while its configuration (epoch " + s.configEpoch() + ") names "
            + s.masterAddress());
      }
      return;
    }
    var f = s.agreement().failover();
    sim.recordPromotion(this, f == null ? -1 : f.epoch(), node, f != null && f.forced());
    checkChoice(s, node);
    if (f != null && !f.forced() && !f.oldMaster().equals(s.masterAddress())) {
      sim.violation("staleReportsIgnored: " + id + " promotes " + node + " in a failover of "
          + f.oldMaster() + " while its master is " + s.masterAddress());
    }
  }

  /**
   * oldMasterFenced, its target: only the master that this daemon's own failover replaces is
   * ever paused, only once another node was chosen for promotion, and never for longer
   * than the failover-timeout that bounds the wait for the promotion.
   */
  void checkFence(Address node, long pauseMs) {
    var f = state().agreement().failover();
    if (f == null || (f.phase() != dev.vigil.sentinel.monitor.Failover.Phase.WAIT_PROMOTION
        && f.phase() != dev.vigil.sentinel.monitor.Failover.Phase.PROMOTE)
        || f.promoted() == null || !node.equals(f.oldMaster()) || node.equals(f.promoted())) {
      sim.violation("oldMasterFenced: " + id + " pauses " + node + " outside its own "
          + "promotion (failover " + f + ")");
    }
    if (pauseMs > spec.failoverTimeout().toMillis()) {
      sim.violation("oldMasterFenced: " + id + " pauses " + node + " for " + pauseMs
          + " ms, beyond the failover-timeout");
    }
  }

  /**
   * onlyHealthyCandidates and replicaOrderIsTotal, at the moment of each promotion, on the
   * daemon's own view: the chosen node is fit, and it comes first among all fit replicas in an
   * order that is antisymmetric for every pair.
   */
  private void checkChoice(GroupState state, Address chosen) {
    var candidates = dev.vigil.sentinel.failover.ReplicaSelection.candidates(state, sim.now, timing);
    NodeState c = state.replicas().get(chosen);
    if (c == null) {
      sim.violation("onlyHealthyCandidates: " + chosen + " promoted but not a known replica");
      return;
    }
    boolean actingMaster = c.info() != null
        && c.info().role() == dev.vigil.sentinel.monitor.NodeRole.MASTER;
    // A node already acting as master is chosen when no replica is fit, or first of all when the
    // master itself replicates it (it has every write); either way it must answer.
    var masterInfo = state.master().info();
    boolean followed = actingMaster && masterInfo != null
        && masterInfo.role() == dev.vigil.sentinel.monitor.NodeRole.REPLICA
        && chosen.equals(masterInfo.masterAddress());
    boolean fallback = (candidates.isEmpty() && actingMaster) || followed;
    if (fallback && (c.sdown() || !c.link().connected())) {
      sim.violation("onlyHealthyCandidates: " + chosen + " acting as master promoted while down");
    }
    if (!fallback && !candidates.contains(c)) {
      sim.violation("onlyHealthyCandidates: " + chosen + " promoted while not fit (sdown="
          + c.sdown() + ", link=" + c.link().connected() + ")");
    }
    var order = dev.vigil.sentinel.failover.ReplicaSelection.ORDER;
    List<NodeState> fit = new ArrayList<>(candidates);
    for (NodeState other : fit) {
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
}
