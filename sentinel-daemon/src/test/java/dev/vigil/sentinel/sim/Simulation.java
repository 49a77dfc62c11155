package dev.vigil.sentinel.sim;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.FailoverTuning;
import dev.vigil.sentinel.config.MasterSpec;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.NodeRole;
import dev.vigil.sentinel.monitor.SentinelEvent;
import dev.vigil.sentinel.state.GroupRecord;
import dev.vigil.sentinel.state.KnownSentinel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic simulation of one group: N daemons running the production
 * {@link dev.vigil.sentinel.daemon.GroupDriver} (and through it the pure cores), simulated nodes
 * and network on virtual time, with random crashes, restarts (state kept, or in some runs lost:
 * a new run id, as a daemon whose state file is gone), isolations, slow nodes and daemons,
 * stalls that put a daemon in TILT, replicas whose replication lags, message loss and delays
 * that reorder messages, during a fault phase, then a healing phase.
 * Every step checks the safety invariants; after healing, returning old masters must be demoted
 * within a bound, and the end checks liveness. A run is a pure function of its seed.
 */
final class Simulation {
  /** What the run checked and found. */
  record Result(long seed, List<String> violations, int promotions, int elections,
      long convergedAfterHealMs, int stateLosses, boolean coldStart, int fences,
      int masterBackAborts, int tilts, int clientDisconnects, int switchovers, int handOvers,
      boolean peersListed, Quarantines quarantines, Operations operations, int superseded,
      int boundedOvertakes, boolean outOfReach, boolean splitViews) {}

  /**
   * What operators did during the faults: SENTINEL RESET, SENTINEL REMOVE + MONITOR, SENTINEL
   * FAILOVER (coordinated or not), and pods stopped through their preStop hook (how many of
   * those handed the master's role over first).
   */
  record Operations(int resets, int remonitors, int refused, int switchovers, int preStops,
      int preStopHandOvers) {}

  /** A REPLICAOF NO ONE: who sent it (in which of its lives), in which epoch, to which node, when. */
  private record Promotion(SimDaemon leader, int life, long epoch, Address node, long at,
      int nodeCrashes) {}

  /**
   * The fresh-identity quarantines of a run: how many began without a peer list (they end by
   * time), how many with one, how many of those a proof ended early (and after how long, in
   * total and at most), how many vote requests a floor refused after its quarantine ended, and
   * how many times the nemesis made a voter forget a vote while a rival candidate ran.
   */
  record Quarantines(int timed, int listed, int proven, long provenMs, long slowestProofMs,
      int floorRefusals, int rivalAmnesias) {}

  /** -Dvigil.sim.debug=true: the event trace of every daemon. */
  static final boolean DEBUG = Boolean.getBoolean("vigil.sim.debug");

  /** A stale master must be demoted this long after healing, at the latest. */
  static final long DEMOTE_BOUND_MS = 3_000;
  /** Once healed, one master serving and followed by all within this bound. */
  static final long CONVERGE_BOUND_MS = 15_000;

  private record Event(long at, long seq, Runnable action) {}

  private final PriorityQueue<Event> queue = new PriorityQueue<>(
      (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private final SplittableRandom rnd;
  private final long seed;
  private long seq;
  long now;

  final Map<Address, SimNode> nodes = new LinkedHashMap<>();
  final List<SimDaemon> daemons = new ArrayList<>();
  private final Set<Address> isolated = new HashSet<>();
  /** Messages lost at random until healing; a lossy run's liveness is checked once loss ends. */
  private double dropRate;
  /** Whether every message takes 1 ms ({@link #loopback}). */
  private final boolean loopback;
  /** +try-failover events, every daemon's. */
  private int tries;
  /** Whether some messages take 20–420 ms instead of 1–20 ms, overtaking later ones. */
  private final boolean jitter;
  /** Whether daemon crashes in this run may lose the state file. */
  private final boolean stateLossRun;
  private int stateLosses;
  private int fences;
  private int masterBackAborts;
  private int clientDisconnects;
  private int switchovers;
  private int handOvers;
  private int tilts;
  /**
   * Whether every daemon starts without state (a new group, or all pods restarted with their
   * state lost): new run ids, no peers known, the fresh-identity quarantine, faults from 2 s on.
   */
  private final boolean coldStart;
  /**
   * Whether the daemons are configured with the complete list of daemons (vigil.failover.peers),
   * so a quarantine can end early on their answers; otherwise it ends by time only.
   */
  private final boolean peersListed;
  private int timedQuarantines;
  private int listedQuarantines;
  private int provenQuarantines;
  private long provenMs;
  private long slowestProofMs;
  private int floorRefusals;
  /** Per daemon address (an identity and those it forgot), per epoch, the candidate it voted for. */
  private final Map<Address, Map<Long, String>> votesByAddress = new HashMap<>();
  /** Draws of the vote-amnesia nemesis, apart from rnd (see {@link #votedFor}). */
  private final SplittableRandom amnesia;
  private boolean amnesiaDone;
  private int rivalAmnesias;
  private final Map<Address, long[]> slow = new HashMap<>();
  /** When each address was last cut off or slow (the end of its latest disturbance). */
  private final Map<Address, Long> disturbedUntil = new HashMap<>();
  private final Map<String, Boolean> failoverInProgress = new HashMap<>();
  private final Map<Address, Long> staleMasterSince = new HashMap<>();
  private long healedAt = -1;
  private long convergedSince = -1;
  private final List<String> violations = new ArrayList<>();
  private final Map<Long, Set<String>> electedByEpoch = new HashMap<>();
  private final Map<Long, Set<Address>> promotedByEpoch = new HashMap<>();
  private final List<Promotion> promotionLog = new ArrayList<>();
  /** Promotions that a later epoch's promotion of another node overtook while theirs was master. */
  private final Set<Promotion> supersededPromotions = new HashSet<>();
  /**
   * Operators act during the faults ({@link #scheduleOperations}); -Dvigil.sim.operators=false
   * leaves them out. (Turned on once the failures they found were fixed: seeds 1176 and 4665, a
   * daemon without replicas winning every election; 2508, an INFO lost to one in flight; 4479, a
   * stale master polled at the slow INFO period; 7590, REMOVE dropping a failover half done.)
   */
  static final boolean OPERATORS = !"false".equals(System.getProperty("vigil.sim.operators"));
  /** oneFailoverBounded is a violation; -Dvigil.sim.strictBound=false only counts it. */
  static final boolean STRICT_BOUND = !"false".equals(System.getProperty("vigil.sim.strictBound"));
  private int boundedOvertakes;
  private int opResets;
  /** RESETs and REMOVEs refused (-INPROG) because the daemon was promoting. */
  private int opRefused;
  /** Nodes that end out of every daemon's reach ({@link #outOfReach}), unchecked for liveness. */
  private int outOfReachNodes;
  /** Whether the run ended with the daemons' views split ({@link #viewsSplit}), unchecked. */
  private boolean splitViews;
  private int opRemonitors;
  private int opSwitchovers;
  private int opPreStops;
  private int opPreStopHandOvers;
  private final Map<String, long[]> epochsSeen = new HashMap<>();
  private final MasterSpec spec;

  Simulation(long seed, int daemonCount, int replicaCount) {
    this(seed, daemonCount, replicaCount, false);
  }

  /**
   * A quiet network like a demo's loopback: every message takes 1 ms, none is lost, no state is
   * lost, no cold start; {@link #runOneCrash} boots the daemons in phase, as in one process.
   */
  static Simulation loopback(long seed, int daemonCount, int replicaCount) {
    return new Simulation(seed, daemonCount, replicaCount, true);
  }

  private Simulation(long seed, int daemonCount, int replicaCount, boolean loopback) {
    this.seed = seed;
    this.loopback = loopback;
    this.rnd = new SplittableRandom(seed);
    // Drawn in loopback runs too, so that the other draws stay where they were.
    double drop = rnd.nextInt(3) == 0 ? 0.05 : 0.0;
    boolean jittery = rnd.nextInt(3) == 0;
    boolean losing = rnd.nextInt(4) == 0;
    this.dropRate = loopback ? 0.0 : drop;
    this.jitter = !loopback && jittery;
    this.stateLossRun = !loopback && losing;
    // Drawn apart from rnd, so that adding cold starts left every other seed's schedule as it was.
    this.coldStart = !loopback && new SplittableRandom(seed ^ 0xC01D5EEDL).nextInt(4) == 0;
    this.amnesia = new SplittableRandom(seed ^ 0xA3E51AL);
    // Apart from rnd too: a run without the list sends no epoch query, so it runs as before.
    this.peersListed = new SplittableRandom(seed ^ 0x9EE25L).nextBoolean();
    Address master = new Address("10.0.0.1", 6379);
    nodes.put(master, new SimNode(master, NodeRole.MASTER, null, 100));
    for (int i = 0; i < replicaCount; i++) {
      Address a = new Address("10.0.0." + (2 + i), 6379);
      int priority = i == 0 && replicaCount > 1 && rnd.nextBoolean() ? 0 : 100;
      nodes.put(a, new SimNode(a, NodeRole.REPLICA, master, priority));
    }
    int quorum = daemonCount / 2 + 1;
    spec = MasterSpec.of("sim", master, quorum).withDownAfter(Duration.ofMillis(1_000))
        .withFailoverTimeout(Duration.ofMillis(6_000));
    Timing timing = new Timing(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofMillis(250), Duration.ofMillis(100), Duration.ofSeconds(2),
        // TILT lasts 5 s here, not 30: the run's 40 s must hold a stall, its TILT and recovery.
        Duration.ofSeconds(5));
    List<Address> daemonAddrs = new ArrayList<>();
    for (int i = 0; i < daemonCount; i++) {
      daemonAddrs.add(new Address("10.0.1." + (1 + i), 26379));
    }
    for (int i = 0; i < daemonCount; i++) {
      List<KnownSentinel> peers = new ArrayList<>();
      for (int j = 0; j < daemonCount; j++) {
        if (j != i) {
          peers.add(new KnownSentinel(daemonAddrs.get(j), idOf(j)));
        }
      }
      GroupRecord record = new GroupRecord("sim", master, 0, 0,
          new ArrayList<>(nodes.keySet()).subList(1, nodes.size()), peers);
      SimDaemon d = new SimDaemon(this, idOf(i), daemonAddrs.get(i), spec, timing, record);
      if (peersListed) {
        d.configurePeers(new java.util.LinkedHashSet<>(daemonAddrs));
      }
      if (coldStart) {
        d.startWithoutState();
      }
      daemons.add(d);
    }
  }

  private static String idOf(int i) {
    return String.format("%040x", 0xd0000L + i);
  }

  long random() {
    return rnd.nextLong() & Long.MAX_VALUE;
  }

  void later(long delay, Runnable action) {
    queue.add(new Event(now + delay, seq++, action));
  }

  void at(long time, Runnable action) {
    queue.add(new Event(time, seq++, action));
  }

  /** A FAILOVER TO completed: the master and its replica swapped roles. */
  void handedOver() {
    handOvers++;
  }

  /** CLIENT KILL on a node (with a REPLICAOF, or on its own): its clients re-resolve the master. */
  void clientsDisconnected(Address node) {
    clientDisconnects++;
  }

  SimNode node(Address a) {
    return nodes.get(a);
  }

  SimDaemon daemonAt(Address a) {
    for (SimDaemon d : daemons) {
      if (d.address.equals(a)) {
        return d;
      }
    }
    return null;
  }

  boolean isUp(Address a) {
    SimNode n = nodes.get(a);
    if (n != null) {
      return n.up;
    }
    SimDaemon d = daemonAt(a);
    return d != null && d.up;
  }

  boolean reachable(SimDaemon from, Address to) {
    return from.up && isUp(to) && !isolated.contains(from.address) && !isolated.contains(to);
  }

  boolean helloPath(SimDaemon a, SimDaemon b) {
    return reachable(a, b.address);
  }

  /** Network delay plus the extra latency of a slow endpoint. */
  private long delay(Address a, Address b) {
    long d = loopback ? 1
        : jitter && rnd.nextInt(10) == 0 ? 20 + rnd.nextInt(400) : 1 + rnd.nextInt(20);
    return d + slowness(a) + slowness(b);
  }

  /**
   * Whether {@code a} has been cut off or slow at any moment since {@code since}: a daemon may
   * have seen it down then (late replies count as none past down-after) and rightly failed over
   * after the disturbance was gone.
   */
  private boolean disturbedSince(Address a, long since) {
    // A slow spell records its end when it starts; a cut-off one only when it ends.
    return isolated.contains(a) || disturbedUntil.getOrDefault(a, -1L) >= since;
  }

  private void disturbed(Address a, long until) {
    disturbedUntil.merge(a, until, Math::max);
  }

  private long slowness(Address a) {
    long[] s = slow.get(a);
    return s != null && now < s[1] ? s[0] : 0;
  }

  /** A message from a daemon to an address: lost, or delivered later if still possible. */
  void send(SimDaemon from, Address to, Runnable action) {
    if (rnd.nextDouble() < dropRate) {
      return;
    }
    later(delay(from.address, to), () -> {
      if (reachable(from, to)) {
        action.run();
      }
    });
  }

  /** A reply from an address back to a daemon. */
  void send(Address from, SimDaemon to, Runnable action) {
    if (rnd.nextDouble() < dropRate) {
      return;
    }
    later(delay(from, to.address), () -> {
      if (reachable(to, from)) {
        action.run();
      }
    });
  }

  void recordEvent(SimDaemon d, SentinelEvent e) {
    if (DEBUG) {
      System.out.println("t=" + now + " " + d.id.substring(34) + " " + e.type() + " " + e.payload());
      if (e.type().equals("-failover-abort-no-good-slave")) {
        d.state().replicas().values().forEach(r -> System.out.println("   replica " + r.address()
            + " sdown=" + r.sdown() + " link=" + r.link() + " info=" + (r.info() == null ? null
            : r.info().role() + " prio " + r.info().priority() + " linkDown " + r.info().masterLinkDownMs())
            + " infoAge=" + (now - r.infoAt())));
      }
    }
    switch (e.type()) {
      case "+fence-old-master" -> fences++;
      case "+tilt" -> {
        tilts++;
        d.tiltChanged(true);
      }
      case "-tilt" -> d.tiltChanged(false);
      case "-failover-abort-master-back" -> {
        masterBackAborts++;
        failoverInProgress.put(d.id, false);
      }
      case "+try-failover" -> {
        tries++;
        if (Boolean.TRUE.equals(failoverInProgress.put(d.id, true))) {
          violation("oneFailoverAtATime: " + d.id + " started a failover while one was running");
        }
      }
      case "+failover-end", "+failover-end-for-timeout", "-failover-abort-not-elected",
          "-failover-abort-no-good-slave", "-failover-abort-slave-timeout" ->
          failoverInProgress.put(d.id, false);
      default -> { }
    }
    if (e.type().equals("+vote-for-leader")) {
      checkSingleVote(d, e.payload());
    }
    if (e.type().equals("+elected-leader") && d.state().agreement().failover() != null) {
      long epoch = d.state().agreement().failover().epoch();
      Set<String> leaders = electedByEpoch.computeIfAbsent(epoch, k -> new HashSet<>());
      leaders.add(d.id);
      if (leaders.size() > 1) {
        violation("leaderElectionSafety: epoch " + epoch + " has leaders " + leaders);
      }
    }
  }

  /**
   * singleVotePerIdentity: a daemon, across losses of its state, gives one candidate its vote in
   * an epoch while that vote can still be counted, that is while the candidate's identity lives
   * (up, or down with its state file): it may have counted it, or count it yet. A vote for an
   * identity that has lost its state, the voter's own included, nobody can count any more, as in
   * the election model.
   */
  private void checkSingleVote(SimDaemon d, String payload) {
    String[] f = payload.split(" ");
    String candidate = f[0];
    long epoch = Long.parseLong(f[1]);
    String earlier = votesByAddress.computeIfAbsent(d.address, k -> new HashMap<>())
        .put(epoch, candidate);
    if (earlier != null && !earlier.equals(candidate)
        && daemons.stream().anyMatch(r -> r.id.equals(earlier))) {
      violation("singleVotePerIdentity: " + d.address + " voted for " + earlier.substring(34)
          + " and then " + candidate.substring(34) + " in epoch " + epoch
          + ", while the first can still be counted");
    }
  }

  void recordPromotion(SimDaemon d, long epoch, Address a, boolean forced) {
    Set<Address> promoted = promotedByEpoch.computeIfAbsent(epoch, k -> new HashSet<>());
    promoted.add(a);
    if (promoted.size() > 1) {
      violation("atMostOneMasterPerEpoch: epoch " + epoch + " promoted " + promoted);
    }
    SimNode n = nodes.get(a);
    if (n.priority == 0) {
      violation("priorityZeroNeverSelected: " + a + " promoted in epoch " + epoch);
    }
    if (!forced) {
      checkOneFailoverBounded(d, epoch, a);
    }
    promotionLog.add(new Promotion(d, d.lives, epoch, a, now, nodes.get(a).crashes));
  }

  /**
   * The bounded form of "one failover", for failovers the daemons decide (a SENTINEL FAILOVER is
   * an operator asking for a new master, which it may do at any moment: seed 312 has two, 1.1 s
   * apart, the second elected by the first's leader once its failover ended, as designed): no
   * promotion of another node in a later epoch while an earlier promotion's node is still
   * master, its leader alive (the same life), neither of them cut off or slow at any moment since
   * that promotion, the node not crashed since, and within the hold that leader's voters
   * promised it (the election timeout: a voter refuses every other candidate that long; the
   * leader itself until its failover ends).
   * Outside those conditions a later promotion may overtake one that stands (the newer epoch
   * wins, and the old master is demoted): each such promotion is counted as superseded.
   */
  private void checkOneFailoverBounded(SimDaemon d, long epoch, Address a) {
    long hold = FailoverTuning.DEFAULT.electionTimeoutMs();
    for (Promotion p : promotionLog) {
      SimNode first = nodes.get(p.node());
      if (p.epoch() >= epoch || p.node().equals(a) || !first.up || first.role != NodeRole.MASTER) {
        continue;
      }
      supersededPromotions.add(p);
      boolean leaderAlive = p.leader().up && p.leader().lives == p.life();
      // A node that crashed since its promotion and came back (as master, perhaps empty) may
      // rightly be failed over again (seed 19853: restarted empty within a second).
      boolean connected = !disturbedSince(p.leader().address, p.at())
          && !disturbedSince(p.node(), p.at()) && first.crashes == p.nodeCrashes();
      boolean withinBound = leaderAlive && connected && now - p.at() < hold;
      if (withinBound) {
        boundedOvertakes++;
      }
      if (STRICT_BOUND && withinBound) {
        violation("oneFailoverBounded: " + d.id.substring(34) + " promotes " + a + " in epoch "
            + epoch + ", " + (now - p.at()) + " ms after " + p.leader().id.substring(34)
            + " promoted " + p.node() + " in epoch " + p.epoch() + ", which is still master");
      }
    }
  }

  /** A daemon crashed or restarted: whatever failover it ran is gone with its memory. */
  void forgetFailover(SimDaemon d) {
    failoverInProgress.remove(d.id);
  }

  /**
   * SENTINEL RESET or REMOVE dropped the group's state, with any failover it ran; after REMOVE and
   * MONITOR the group starts again at config epoch 0 (a new group, as in Sentinel).
   */
  void failoverDropped(SimDaemon d, boolean monitoredAgain) {
    failoverInProgress.remove(d.id);
    long[] seen = epochsSeen.get(d.id);
    if (monitoredAgain && seen != null) {
      seen[1] = 0;
    }
  }

  void preStopDone(boolean handedOver) {
    opPreStopHandOvers += handedOver ? 1 : 0;
  }

  /**
   * The nemesis the fresh-identity quarantine exists for: in runs where daemons may lose their
   * state, a daemon that has just given its vote to another candidate sometimes crashes once its
   * reply has arrived and comes back 20–320 ms later without its state, while that election may
   * still be open. Random crashes alone hit this window about once in 10,000 runs. Once per run:
   * a group all of whose daemons forget a promotion they made cannot know of it any more (nor
   * could Sentinel), which is not what this nemesis is after.
   *
   * <p>A forgotten vote only does harm when another candidate asks in the same epoch, and the
   * start stagger makes that rare: the nemesis always strikes when the vote went to one of two
   * candidates whose elections are open in that epoch. (A second strike per run let a group of
   * three forget its promotion: seed 13875 beyond the build's seeds.)
   */
  void votedFor(SimDaemon d, String candidate, long epoch) {
    if (!stateLossRun || healedAt >= 0 || amnesiaDone) {
      return;
    }
    boolean rival = rivalOf(d, candidate, epoch);
    if (!rival && amnesia.nextInt(2) != 0) {
      return;
    }
    amnesiaDone = true;
    rivalAmnesias += rival ? 1 : 0;
    long back = 20 + amnesia.nextInt(300);
    // Once the reply has reached the candidate (1-20 ms, more under jitter): this network drops
    // a reply whose sender is down when it arrives, so a crash 1 ms after the vote lost nearly
    // every forgotten vote with it, and the switched-off quarantine no longer showed anything.
    long after = 21 + amnesia.nextInt(30);
    if (DEBUG) {
      System.out.println("t=" + now + " AMNESIA " + d.address + " voted for " + candidate
          + " in epoch " + epoch + (rival ? " (a rival runs in that epoch)" : "")
          + ", back in " + back + " ms");
    }
    later(after, () -> {
      if (d.up) {
        d.crash();
        forgetFailover(d);
        later(back, () -> {
          if (!d.up) {
            forgetFailover(d);
            d.restartLosingState();
          }
        });
      }
    });
  }

  /** Whether a daemon other than the voter and its candidate runs an election in that epoch. */
  private boolean rivalOf(SimDaemon voter, String candidate, long epoch) {
    for (SimDaemon r : daemons) {
      if (r != voter && r.up && !r.id.equals(candidate)) {
        var f = r.state().agreement().failover();
        if (f != null && f.epoch() == epoch
            && f.phase() == dev.vigil.sentinel.monitor.Failover.Phase.WAIT_START) {
          return true;
        }
      }
    }
    return false;
  }

  void stateLost() {
    stateLosses++;
  }

  void quarantineStarted(boolean listed) {
    if (listed) {
      listedQuarantines++;
    } else {
      timedQuarantines++;
    }
  }

  void quarantineProven(SimDaemon d, long afterMs, long floor) {
    if (DEBUG) {
      System.out.println("t=" + now + " " + d.id.substring(36) + " quarantine proven after "
          + afterMs + " ms, vote floor " + floor);
    }
    provenQuarantines++;
    provenMs += afterMs;
    slowestProofMs = Math.max(slowestProofMs, afterMs);
  }

  void floorRefusal() {
    floorRefusals++;
  }

  void checkDaemon(SimDaemon d) {
    // A failover ends with an event, or silently when a newer configuration supersedes it
    // (as in Sentinel); one never runs without its +try-failover.
    if (d.up && d.state().agreement().failover() == null) {
      failoverInProgress.put(d.id, false);
    } else if (d.up && !Boolean.TRUE.equals(failoverInProgress.get(d.id))) {
      violation("oneFailoverAtATime: " + d.id + " runs " + d.state().agreement().failover()
          + " without +try-failover");
    }
    long[] seen = epochsSeen.computeIfAbsent(d.id, k -> new long[2]);
    if (d.currentEpoch < seen[0] || d.state().configEpoch() < seen[1]) {
      violation("epochMonotonic: " + d.id + " went from " + seen[0] + "/" + seen[1] + " to "
          + d.currentEpoch + "/" + d.state().configEpoch());
    }
    seen[0] = Math.max(seen[0], d.currentEpoch);
    seen[1] = Math.max(seen[1], d.state().configEpoch());
    var f = d.state().agreement().failover();
    // Each phase is bounded: the election, the wait for the chosen replica to catch up (twice:
    // it may give way to one that has more), the promotion and the re-pointing; time the leader
    // spent stalled or in TILT, deciding nothing, does not count.
    long bound = spec.failoverTimeout().toMillis() * 2 + 1_000
        + 2 * dev.vigil.sentinel.failover.FailoverCore.CATCH_UP_LIMIT_MS;
    if (f != null && now - f.startedAt() > bound
        && now - f.startedAt() - d.frozenSince(f.startedAt()) > bound) {
      violation("failoverBounded: " + d.id + " failover of epoch " + f.epoch() + " in "
          + f.phase() + " for " + (now - f.startedAt()) + " ms, "
          + d.frozenSince(f.startedAt()) + " of them stalled or in TILT");
    }
  }

  void violation(String v) {
    if (violations.size() < 10) {
      violations.add("t=" + now + " " + v);
    }
  }

  Result run(long faultMs, long healMs) {
    for (SimDaemon d : daemons) {
      d.boot(rnd.nextInt(100));
    }
    scheduleNodeProgress();
    scheduleFaults(faultMs);
    scheduleOperations(faultMs);
    later(faultMs, this::healAll);
    runUntil(faultMs + healMs);
    checkConverged();
    if (DEBUG) {
      dumpEnd();
    }
    if (convergedSince >= 0 && convergedSince - healedAt > CONVERGE_BOUND_MS) {
      violation("liveness: converged only " + (convergedSince - healedAt) + " ms after healing");
    }
    int promotions = promotedByEpoch.values().stream().mapToInt(Set::size).sum();
    return new Result(seed, violations, promotions, electedByEpoch.size(),
        convergedSince < 0 ? -1 : convergedSince - healedAt, stateLosses, coldStart, fences,
        masterBackAborts, tilts, clientDisconnects, switchovers, handOvers, peersListed,
        new Quarantines(timedQuarantines, listedQuarantines, provenQuarantines, provenMs,
            slowestProofMs, floorRefusals, rivalAmnesias),
        new Operations(opResets, opRemonitors, opRefused, opSwitchovers, opPreStops, opPreStopHandOvers),
        supersededPromotions.size(), boundedOvertakes, outOfReachNodes > 0, splitViews);
  }

  /** Runs every event due up to {@code end}, in time order. */
  private void runUntil(long end) {
    while (!queue.isEmpty() && queue.peek().at <= end) {
      Event e = queue.poll();
      now = e.at;
      e.action.run();
    }
  }

  /** What {@link #runOneCrash} saw: attempts (+try-failover, all daemons), promotions, when. */
  record OneCrash(List<String> violations, int tries, int promotions, long promotedAfterMs) {}

  /**
   * The daemons tick in phase (at the same instants, as in one process) but start a few ticks
   * apart, so that their PINGs, and the moments each sees the master down, differ by ticks; the
   * master crashes at {@code crashAt} and stays down; nothing else happens until {@code endMs}.
   */
  OneCrash runOneCrash(long crashAt, long endMs) {
    for (SimDaemon d : daemons) {
      at(100L * rnd.nextInt(5), () -> d.boot(0));
    }
    scheduleNodeProgress();
    SimNode master = nodes.values().iterator().next();
    at(crashAt, master::crash);
    runUntil(endMs);
    long promotedAt = promotionLog.isEmpty() ? -1 : promotionLog.get(0).at();
    int promotions = promotedByEpoch.values().stream().mapToInt(Set::size).sum();
    return new OneCrash(violations, tries, promotions, promotedAt < 0 ? -1 : promotedAt - crashAt);
  }

  private void scheduleNodeProgress() {
    later(100, () -> {
      nodes.values().forEach(n -> n.advance(nodes, now));
      if (healedAt >= 0) {
        checkStaleMasters();
        boolean converged = converged();
        if (!converged) {
          convergedSince = -1;
        } else if (convergedSince < 0) {
          convergedSince = now;
        }
      }
      scheduleNodeProgress();
    });
  }

  private void scheduleFaults(long faultMs) {
    int faults = rnd.nextInt(1, 6);
    for (int i = 0; i < faults; i++) {
      long at = 2_000 + rnd.nextLong(Math.max(1, faultMs - 4_000));
      int kind = rnd.nextInt(8);
      later(at, () -> fault(kind));
    }
  }

  /**
   * Whether a restart scheduled by a fault still happens. While faults run, a restart of a
   * process that is up (crashed twice, restarted by the first) is a crash and an instant restart:
   * the quickest state loss there is, which is what finds a forgotten vote reused. After healing
   * it would be a new fault, so only processes still down restart then.
   */
  private boolean restartDue(boolean up) {
    return !up || healedAt < 0;
  }

  private void fault(int kind) {
    if (DEBUG) {
      System.out.println("t=" + now + " FAULT " + kind);
    }
    List<SimNode> ns = new ArrayList<>(nodes.values());
    switch (kind) {
      case 0, 1 -> {
        // the current master (most interesting), or any node
        SimNode target = kind == 0 ? ns.stream().filter(n -> n.role == NodeRole.MASTER && n.up)
            .findFirst().orElse(ns.get(0)) : ns.get(rnd.nextInt(ns.size()));
        target.crash();
        if (rnd.nextBoolean()) {
          later(500 + rnd.nextInt(6_000), () -> {
            if (restartDue(target.up)) {
              target.restart();
            }
          });
        }
      }
      case 2 -> {
        SimDaemon d = daemons.get(rnd.nextInt(daemons.size()));
        d.crash();
        forgetFailover(d);
        if (stateLossRun && rnd.nextBoolean()) {
          later(500 + rnd.nextInt(6_000), () -> {
            if (restartDue(d.up)) {
              forgetFailover(d);
              d.restartLosingState();
            }
          });
        } else {
          later(500 + rnd.nextInt(6_000), () -> {
            if (restartDue(d.up)) {
              d.restart();
            }
          });
        }
      }
      case 5 -> {
        // a slow node or daemon (GC, CPU throttling, a congested link): late replies, not none
        Address a = rnd.nextBoolean() ? ns.get(rnd.nextInt(ns.size())).address
            : daemons.get(rnd.nextInt(daemons.size())).address;
        long until = now + 1_000 + rnd.nextInt(5_000);
        slow.put(a, new long[] {100 + rnd.nextInt(1_400), until});
        disturbed(a, until);
      }
      case 3 -> {
        Address a = rnd.nextBoolean() ? ns.get(rnd.nextInt(ns.size())).address
            : daemons.get(rnd.nextInt(daemons.size())).address;
        isolated.add(a);
        later(500 + rnd.nextInt(6_000), () -> {
          isolated.remove(a);
          disturbed(a, now);
        });
      }
      case 6 -> {
        // a daemon stalls (GC, a suspended VM) beyond tilt-trigger: it comes back in TILT
        SimDaemon d = daemons.get(rnd.nextInt(daemons.size()));
        if (d.up) {
          d.stall(now + 2_100 + rnd.nextInt(2_000));
        }
      }
      case 7 -> {
        // a replica's replication lags behind its master for a while
        SimNode n = ns.get(rnd.nextInt(ns.size()));
        n.lagUntil = now + 1_000 + rnd.nextInt(5_000);
      }
      case 4 -> {
        SimNode target = ns.stream().filter(n -> n.role == NodeRole.MASTER && n.up).findFirst()
            .orElse(ns.get(0));
        isolated.add(target.address);
        later(1_500 + rnd.nextInt(4_000), () -> {
          isolated.remove(target.address);
          disturbed(target.address, now);
        });
      }
    }
  }

  /**
   * In half the runs operators act during the faults, one to three times at random moments, on a
   * random daemon: SENTINEL RESET; SENTINEL REMOVE then MONITOR (at the master that daemon
   * names, or at the group's original address, stale after a failover); SENTINEL FAILOVER,
   * coordinated or not; or a pod of a random node stopped through its preStop hook (a master's
   * hands over first; the pod is back 1-4 s later). Drawn apart from rnd's schedule.
   */
  private void scheduleOperations(long faultMs) {
    SplittableRandom op = new SplittableRandom(seed ^ 0x0DE2A7E5L);
    if (!OPERATORS || op.nextBoolean()) {
      return;
    }
    int count = 1 + op.nextInt(3);
    for (int i = 0; i < count; i++) {
      long at = 2_000 + op.nextLong(Math.max(1, faultMs - 4_000));
      int kind = op.nextInt(6);
      SimDaemon d = daemons.get(op.nextInt(daemons.size()));
      SimNode pod = new ArrayList<>(nodes.values()).get(op.nextInt(nodes.size()));
      long back = 1_000 + op.nextInt(3_000);
      later(at, () -> operate(kind, d, pod, back));
    }
  }

  private void operate(int kind, SimDaemon d, SimNode pod, long back) {
    if (DEBUG) {
      System.out.println("t=" + now + " OPERATE " + kind + " on " + d.address + " / " + pod.address);
    }
    switch (kind) {
      case 0 -> {
        if (d.up && d.state().promotionUnderWay()) {
          opRefused++; // -INPROG, as SentinelCommands answers
        } else {
          opResets++;
          d.reset();
        }
      }
      case 1, 2 -> {
        if (d.up && d.state().promotionUnderWay()) {
          opRefused++;
        } else if (d.up) {
          opRemonitors++;
          d.remonitor(kind == 1 ? d.state().masterAddress() : spec.address());
        }
      }
      case 3, 4 -> {
        opSwitchovers++;
        d.forceFailover(kind == 4);
      }
      default -> {
        opPreStops++;
        d.preStop(pod.address, now + 10_000, dev.vigil.sentinel.failover.PreStopPlan.NEVER, () -> {
          if (pod.up) {
            pod.crash();
            later(back, () -> {
              if (!pod.up) {
                pod.restart();
              }
            });
          }
        });
      }
    }
  }

  /**
   * In a third of the runs an operator switches the master over once the group has healed and
   * converged: SENTINEL FAILOVER on one daemon, half of them COORDINATED (FAILOVER TO on the
   * master, then clients disconnected on both nodes). Forced failovers during the faults are
   * among {@link #scheduleOperations}' (they are elected, like any other).
   */
  private void scheduleSwitchover() {
    SplittableRandom op = new SplittableRandom(seed ^ 0x5A17C40L);
    if (op.nextInt(3) != 0) {
      return;
    }
    SimDaemon d = daemons.get(op.nextInt(daemons.size()));
    boolean coordinated = op.nextBoolean();
    later(2_000 + op.nextInt(3_000), () -> {
      if (converged()) {
        switchovers++;
        d.forceFailover(coordinated);
      }
    });
  }

  private void healAll() {
    scheduleSwitchover();
    healedAt = now;
    // Healing ends the loss too (seed 77604 lost four REPLICAOFs in a row to one replica after
    // healing, each retried a failover-timeout later as Sentinel does): liveness within a bound
    // is a property of a network that delivers.
    dropRate = 0;
    slow.keySet().forEach(a -> disturbedUntil.put(a, Math.min(disturbedUntil.get(a), now)));
    isolated.forEach(a -> disturbed(a, now));
    slow.clear();
    isolated.clear();
    nodes.values().stream().filter(n -> !n.up).forEach(SimNode::restart);
    daemons.stream().filter(d -> !d.up).forEach(d -> {
      forgetFailover(d);
      d.restart();
    });
  }

  /**
   * oldMasterDemoted: once healed, a node that claims master while the newest configuration any
   * daemon holds names another node that is master must become a replica within a bound of some
   * daemon out of TILT knowing it.
   */
  private void checkStaleMasters() {
    SimDaemon newest = null;
    for (SimDaemon d : daemons) {
      if (d.up && (newest == null || d.state().configEpoch() > newest.state().configEpoch())) {
        newest = d;
      }
    }
    Address current = newest == null ? null : newest.state().masterAddress();
    SimNode cur = current == null ? null : nodes.get(current);
    for (SimNode n : nodes.values()) {
      // The bound runs while a daemon able to act knows the node: one in TILT acts on nothing,
      // and SENTINEL RESET or REMOVE+MONITOR forgets a node that its master does not list (as
      // in Sentinel); a node no daemon knows is the final liveness check's business.
      boolean stale = cur != null && cur != n && cur.up && cur.role == NodeRole.MASTER && n.up
          && n.role == NodeRole.MASTER && daemons.stream().anyMatch(d -> d.up && !d.inTiltNow()
              && d.state().replicas().containsKey(n.address));
      if (!stale) {
        staleMasterSince.remove(n.address);
        continue;
      }
      long since = staleMasterSince.computeIfAbsent(n.address, k -> now);
      // On a lossy network each lost INFO reply costs a command timeout before the next INFO:
      // two in a row are allowed for (seed 9078 with operators, where RESETs had left one daemon
      // knowing the old master, lost two).
      long bound = DEMOTE_BOUND_MS + (dropRate > 0 ? 2 * SimLink.COMMAND_TIMEOUT_MS : 0);
      if (now - since > bound) {
        violation("oldMasterDemoted: " + n.address + " still master " + (now - since)
            + " ms after " + current + " took over (config epoch " + newest.state().configEpoch() + ")");
        staleMasterSince.put(n.address, now);
      }
    }
  }

  private boolean converged() {
    List<SimNode> masters = nodes.values().stream().filter(n -> n.role == NodeRole.MASTER).toList();
    if (masters.size() != 1) {
      return false;
    }
    Address m = masters.get(0).address;
    return nodes.values().stream().allMatch(n -> n == masters.get(0) || m.equals(n.master))
        && daemons.stream().allMatch(d -> d.state().masterAddress().equals(m));
  }

  /**
   * Whether {@code n} is out of every daemon's reach: none names it as master or knows it as a
   * replica, and each has forgotten the group's past at some point (restarted without its state,
   * SENTINEL RESET, REMOVE+MONITOR). Daemons learn nodes only from their configuration and the
   * master's replica list, so such a node (a promoted replica whose promotion every daemon lost,
   * an old master forgotten by RESET while it was down) stays where it is, as with Sentinel; in
   * production `vigil init-node` points a restarted pod at the current master instead.
   */
  private boolean outOfReach(SimNode n) {
    return daemons.stream().allMatch(d -> d.forgotAt >= 0
        && !d.state().masterAddress().equals(n.address)
        && !d.state().replicas().containsKey(n.address));
  }

  /**
   * Whether the daemons' views of the group fall apart: each has forgotten the group's past at
   * some point, and they split into parts that share no node (seed 103788: one daemon restarted
   * without its state and knows only the configured old master, the others were re-added by
   * REMOVE+MONITOR at the new one after it stopped listing the old). Hellos travel through the
   * nodes' channels, so the parts never hear of each other and each keeps its own master, as
   * Sentinels split the same way do. (A daemon that lost its state could ask its listed peers for
   * the group's configuration and rejoin them; it does not yet.)
   */
  private boolean viewsSplit() {
    if (!daemons.stream().allMatch(d -> d.forgotAt >= 0)) {
      return false;
    }
    List<Set<Address>> parts = new ArrayList<>();
    for (SimDaemon d : daemons) {
      Set<Address> view = new HashSet<>(d.state().replicas().keySet());
      view.add(d.state().masterAddress());
      for (var it = parts.iterator(); it.hasNext(); ) {
        Set<Address> part = it.next();
        if (!java.util.Collections.disjoint(part, view)) {
          view.addAll(part);
          it.remove();
        }
      }
      parts.add(view);
    }
    return parts.size() > 1;
  }

  /** For a replay: every node and what every daemon makes of the group when the run ends. */
  private void dumpEnd() {
    for (SimNode n : nodes.values()) {
      System.out.println("END node " + n.address + " up=" + n.up + " " + n.role + " of " + n.master
          + " " + n.info(nodes));
    }
    for (SimDaemon d : daemons) {
      var g = d.state();
      System.out.println("END daemon " + d.id.substring(34) + " up=" + d.up + " master "
          + g.masterAddress() + " " + g.master() + " failover " + g.agreement().failover());
      g.replicas().values().forEach(r -> System.out.println("END   replica " + r));
    }
  }

  /** Liveness: after healing, exactly one master that every node and daemon follows. */
  private void checkConverged() {
    List<SimNode> masters = nodes.values().stream().filter(n -> n.role == NodeRole.MASTER).toList();
    if (masters.stream().anyMatch(this::outOfReach)) {
      // A master no daemon can know any more (outOfReach): counted, not checked for liveness.
      outOfReachNodes++;
      return;
    }
    // Daemons that share no node cannot agree on one master (viewsSplit): counted, not checked.
    splitViews = viewsSplit();
    if (masters.size() != 1) {
      if (!splitViews) {
        violation("liveness: " + masters.size() + " masters after healing: "
            + masters.stream().map(n -> n.address).toList());
      }
      return;
    }
    Address m = masters.get(0).address;
    if (masters.get(0).paused(now)) {
      violation("liveness: the master " + m + " is still write-paused after healing");
    }
    for (SimNode n : nodes.values()) {
      if (n.role == NodeRole.REPLICA && n.paused(now)) {
        violation("oldMasterFenced: replica " + n.address + " left write-paused");
      }
      if (n != masters.get(0) && !m.equals(n.master)) {
        if (outOfReach(n)) {
          // A replica no daemon can know any more (outOfReach): counted, not checked.
          outOfReachNodes++;
        } else {
          violation("liveness: " + n.address + " replicates " + n.master + ", not " + m);
        }
      }
    }
    for (SimDaemon d : daemons) {
      if (!splitViews && !d.state().masterAddress().equals(m)) {
        violation("liveness: daemon " + d.id.substring(34) + " says " + d.state().masterAddress()
            + ", master is " + m);
      }
    }
  }
}
