package dev.vigil.sentinel.failover;

import dev.vigil.sentinel.config.Address;
import dev.vigil.sentinel.config.FailoverTuning;
import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.Agreement;
import dev.vigil.sentinel.monitor.DownReport;
import dev.vigil.sentinel.monitor.Effect;
import dev.vigil.sentinel.monitor.Failover;
import dev.vigil.sentinel.monitor.Failover.Phase;
import dev.vigil.sentinel.monitor.Failover.Reconf;
import dev.vigil.sentinel.monitor.GroupState;
import dev.vigil.sentinel.monitor.NodeInfo;
import dev.vigil.sentinel.monitor.NodeRole;
import dev.vigil.sentinel.monitor.NodeState;
import dev.vigil.sentinel.monitor.PeerState;
import dev.vigil.sentinel.monitor.SentinelEvent;
import dev.vigil.sentinel.monitor.Transition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agreement and failover decisions for one group, as pure functions of (state, input, now):
 * ODOWN from fresh peer reports, epoch voting, the failover state machine (Sentinel's, with
 * Vigil's changes below) and convergence of nodes that disagree with the current configuration.
 *
 * <p>Where Vigil differs from Sentinel, on purpose:
 * <ul>
 *   <li>A failed election is retried in a higher epoch after a short randomized back-off, not
 *       after 2 × failover-timeout; one vote per epoch keeps it safe.
 *   <li>Peer down reports count only for the master address and config epoch they were about,
 *       so a new master is never failed over on reports about its predecessor.
 *   <li>Promotion is confirmed by polling the candidate right after REPLICAOF NO ONE, and the
 *       new master is advertised (GET-MASTER-ADDR, hellos, +switch-master) the moment it is.
 *   <li>The master a failover replaced is demoted as soon as it answers again.
 *   <li>A master that answers again before a replica is promoted ends the failover (Sentinel
 *       goes on once elected, and the returning master takes writes, {@code WAIT} ones
 *       included, that the promotion then discards); from REPLICAOF NO ONE on it is
 *       write-paused over any link we have to it ({@code oldMasterFenced}: a link a partition
 *       holds delivers the pause with the heal) and demoted the moment the promotion is
 *       confirmed.
 *   <li>The other replicas are re-pointed at the chosen one before REPLICAOF NO ONE, not after
 *       the promotion is confirmed and parallel-syncs at a time, so that none of them confirms
 *       writes of a returning old master ({@link #detachOtherReplicas}), and REPLICAOF NO ONE
 *       waits until the chosen one has everything they have ({@link #promoteOnceCaughtUp}).
 * </ul>
 */
public final class FailoverCore {
  /**
   * How long the chosen replica may take to reach the offsets of the replicas detached from the
   * old master before it is promoted anyway (or a replica that has more is chosen instead): it
   * still follows the old master, so it catches up in milliseconds unless its own link is gone.
   */
  public static final long CATCH_UP_LIMIT_MS = 1_000;

  /** How long a chosen replica may go on reporting itself a replica before REPLICAOF NO ONE is sent again. */
  static final long PROMOTE_RESEND_MS = 1_000;

  private final String myId;
  private final Timing timing;
  private final FailoverTuning settings;
  private final QuarantineGate quarantine;

  /**
   * @param quarantine until when this daemon neither votes nor starts a failover (it started
   *     with a fresh identity: see {@link FailoverTuning#freshIdentityQuarantineMs}), and the
   *     epochs it never votes in; owned by the daemon, read here
   */
  public FailoverCore(String myId, Timing timing, FailoverTuning settings, QuarantineGate quarantine) {
    this.myId = myId;
    this.timing = timing;
    this.settings = settings;
    this.quarantine = quarantine;
  }

  /** A quarantine that ends by time only, with no floor. */
  public FailoverCore(String myId, Timing timing, FailoverTuning settings, long abstainUntil) {
    this(myId, timing, settings, new QuarantineGate(abstainUntil, 0));
  }

  public FailoverCore(String myId, Timing timing, FailoverTuning settings) {
    this(myId, timing, settings, QuarantineGate.open());
  }

  /**
   * Whether {@link #tick} decides nothing for this state whatever the time: no failover, no
   * ODOWN, the master not SDOWN. The shell skips a healthy group's ticks on this (with
   * {@code GroupMonitor.nextChangeAt}), so it is the tick's own fast path.
   */
  public static boolean idle(GroupState g) {
    Agreement a = g.agreement();
    return a.failover() == null && !a.odown() && !g.master().sdown();
  }

  /**
   * Re-evaluates ODOWN, starts or advances a failover. {@code random} is a uniformly random
   * non-negative number from the shell (back-off jitter), so the decision itself stays pure.
   */
  public Transition tick(GroupState g, long now, long currentEpoch, long random) {
    Agreement a = g.agreement();
    if (idle(g)) {
      // The common case, every tick of every healthy group: nothing to decide (what follows
      // would conclude the same, allocating on the way; at 500 groups that was an eighth of
      // what the daemon allocated).
      return Transition.none(g);
    }
    List<Effect> fx = new ArrayList<>();
    int reports = 1 + (int) g.peers().values().stream()
        .filter(p -> p.report() != null && p.report().countsFor(g.masterAddress(), g.configEpoch(),
            now, settings.reportValidityMs()))
        .count();
    boolean odown = g.master().sdown() && reports >= g.spec().quorum();
    if (odown != a.odown()) {
      a = a.withOdown(odown, now);
      fx.add(masterEvent(g, odown ? "+odown" : "-odown",
          odown ? "#quorum " + reports + "/" + g.spec().quorum() : null));
    }
    Failover f = a.failover();
    boolean wantVotes = f != null && f.phase() == Phase.WAIT_START;
    // Until ODOWN (or while votes are awaited) ask often: peers turn SDOWN at slightly different
    // moments, and Sentinel's 1 s cadence is most of its delay between +sdown and +odown.
    long askEvery = odown && !wantVotes ? timing.askPeriod().toMillis()
        : Math.min(timing.askPeriod().toMillis(), settings.fastAskMs());
    if ((g.master().sdown() || wantVotes)
        && (a.lastAskAt() < 0 || now - a.lastAskAt() >= askEvery)) {
      a = a.withLastAskAt(now);
      // A candidate asks in its failover's epoch even once its current epoch has moved on (a
      // hello raised it): asked in the current one, a voter would give it a vote there that it
      // cannot count, and that a later candidate then lacks (Sentinel asks in the current one).
      fx.add(new Effect.AskPeers(wantVotes, wantVotes ? f.epoch() : currentEpoch));
    }
    GroupState s = g.withAgreement(a);
    if (f == null) {
      // A daemon with no replica it could promote does not stand: elected, it could only abort,
      // and each of its elections takes the votes of the daemons that could (the simulation
      // found a daemon that had lost its state, knowing no replica, winning every epoch for
      // 25 s while the others, which knew the replicas, kept voting for it: seed 1176).
      if (odown && (a.retryNotBefore() < 0 || now >= a.retryNotBefore()) && !abstaining(now)
          && now >= a.odownSince() + startRank(g, now) * settings.startStaggerMs()
          && ReplicaSelection.choose(s, now, timing).isPresent()) {
        return start(s, now, currentEpoch, false, fx);
      }
      return new Transition(s, fx);
    }
    return advance(s, now, random, fx);
  }

  /**
   * When a failover held back by its start stagger or by the back-off after an abort (or a vote
   * given) could start, or {@link Long#MIN_VALUE} when none waits on those. The shell decides
   * again at that instant: staggers of a few tens of milliseconds mean nothing if they are
   * rounded up to the next 100 ms tick, where daemons whose ticks are in phase (a demo's three
   * in one process) would all start, split the vote and back off together again and again.
   */
  public long startDueAt(GroupState g, long now) {
    Agreement a = g.agreement();
    if (a.failover() != null || !a.odown()) {
      return Long.MIN_VALUE;
    }
    long due = Math.max(a.retryNotBefore(),
        a.odownSince() + startRank(g, now) * settings.startStaggerMs());
    return due > now ? due : Long.MIN_VALUE;
  }

  /**
   * How many peers that see the master down have a smaller run id: they start first, so that
   * daemons reaching ODOWN together do not all split the vote.
   */
  private int startRank(GroupState g, long now) {
    return (int) g.peers().values().stream()
        .filter(p -> p.runId().compareTo(myId) < 0 && p.report() != null
            && p.report().countsFor(g.masterAddress(), g.configEpoch(), now,
                settings.reportValidityMs()))
        .count();
  }

  /**
   * SENTINEL FAILOVER: a failover without ODOWN, in a new epoch (so it wins by config epoch);
   * {@code coordinated} hands over with FAILOVER TO instead of promoting behind the master's back.
   * It still asks for votes and goes on only with a majority of the daemons known for the group
   * (quorum, which is about agreeing the master is down, does not apply). Sentinel takes the epoch
   * without an election, so a daemon that has not heard of it yet can be elected in the same
   * epoch and promote another replica: the simulation found two leaders in one epoch that way
   * (seed 36 with switchovers during faults). With every daemon up this costs one round trip.
   */
  public Optional<Transition> force(GroupState g, long now, long currentEpoch, boolean coordinated) {
    // Nor while our vote for another daemon's election holds: that daemon is failing the group
    // over, and a forced election in a later epoch would take our vote from it (and make a
    // candidate it asks step down) before it had its chance.
    if (g.agreement().failover() != null || awaitingOnesVotedFor(g, now)) {
      return Optional.empty();
    }
    return Optional.of(start(g, now, currentEpoch, true, coordinated, new ArrayList<>()));
  }

  private Transition start(GroupState g, long now, long currentEpoch, boolean forced,
      List<Effect> fx) {
    return start(g, now, currentEpoch, forced, false, fx);
  }

  private Transition start(GroupState g, long now, long currentEpoch, boolean forced,
      boolean coordinated, List<Effect> fx) {
    long epoch = currentEpoch + 1;
    fx.add(new Effect.AdoptEpoch(epoch));
    GroupState s = g.withVote(myId, epoch);
    fx.add(new Effect.Persist());
    fx.add(masterEvent(s, "+try-failover", null));
    fx.add(new Effect.Emit(new SentinelEvent("+vote-for-leader", myId + " " + epoch)));
    Failover f = new Failover(epoch, Phase.WAIT_START, now, now, forced, coordinated,
        g.masterAddress(), null, Map.of());
    Agreement a = s.agreement().withFailover(f).withLastAskAt(now);
    fx.add(new Effect.AskPeers(true, epoch));
    return advance(s.withAgreement(a), now, 0, fx);
  }

  private Transition advance(GroupState g, long now, long random, List<Effect> fx) {
    Failover f = g.agreement().failover();
    long ft = g.spec().failoverTimeout().toMillis();
    switch (f.phase()) {
      case WAIT_START -> {
        Optional<String> winner = electionWinner(g, f);
        if (winner.isPresent() && winner.get().equals(myId)) {
          fx.add(masterEvent(g, "+elected-leader", null));
          fx.add(masterEvent(g, "+failover-state-select-slave", null));
          return advance(withFailover(g, f.inPhase(Phase.SELECT_REPLICA, now)), now, random, fx);
        }
        if (now - f.startedAt() > Math.min(ft, settings.electionTimeoutMs())) {
          fx.add(masterEvent(g, "-failover-abort-not-elected", null));
          return new Transition(abort(g, now, random), fx);
        }
        if (splitVote(g, f)) {
          // Votes are final: once they make every winner impossible, waiting is pointless.
          fx.add(masterEvent(g, "-failover-abort-not-elected", "#split vote"));
          // Retry in run id order among the split's candidates: the first retries after
          // retry-min, each next one a stagger later (plus jitter within it), so the first's
          // request arrives before the others start again.
          long rank = votesIn(g, f.epoch()).values().stream().distinct()
              .filter(c -> c.compareTo(myId) < 0).count();
          long stagger = Math.max(1, settings.startStaggerMs());
          long retryAt = now + settings.retryMinMs() + rank * stagger + Math.floorMod(random, stagger);
          return new Transition(g.withAgreement(g.agreement().withFailover(null)
              .withRetryNotBefore(retryAt)), fx);
        }
        return new Transition(g, fx);
      }
      case SELECT_REPLICA -> {
        if (!f.forced() && !g.master().sdown()) {
          // Nothing is promoted yet: the master that answers again has every write, and
          // promoting now would discard those it takes from its returning clients meanwhile.
          fx.add(masterEvent(g, "-failover-abort-master-back", null));
          return new Transition(abort(g, now, random), fx);
        }
        Optional<NodeState> chosen = ReplicaSelection.choose(g, now, timing);
        if (chosen.isEmpty()) {
          fx.add(masterEvent(g, "-failover-abort-no-good-slave", null));
          return new Transition(abort(g, now, random), fx);
        }
        Address r = chosen.get().address();
        fx.add(replicaEvent(g, r, "+selected-slave"));
        fx.add(replicaEvent(g, r, "+failover-state-send-slaveof-noone"));
        if (f.coordinated()) {
          fx.add(new Effect.HandOver(g.masterAddress(), r, ft));
          fx.add(replicaEvent(g, r, "+failover-state-wait-promotion"));
          return new Transition(withFailover(g, f.withPromoted(r)
              .inPhase(Phase.WAIT_PROMOTION, now)), fx);
        }
        // Paused before the promotion, so that it confirms nothing the promoted replica may
        // not have: at once if it answers (a forced failover), queued on a link that a
        // partition holds open otherwise, so that it arrives with the heal.
        Failover next = fenceIfReachable(g, f.withPromoted(r).inPhase(Phase.PROMOTE, now), now, fx);
        next = detachOtherReplicas(g, next, now, fx);
        return promoteOnceCaughtUp(g, next, now, fx);
      }
      case PROMOTE -> {
        if (!f.forced() && !g.master().sdown()) {
          // Still nothing promoted: as in SELECT_REPLICA, the master that answers keeps its
          // writes; the replicas detached from it follow it again at once.
          fx.add(masterEvent(g, "-failover-abort-master-back", null));
          return new Transition(abortDetached(g, f, now, random, fx), fx);
        }
        if (ReplicaSelection.choose(g, now, timing).isEmpty()) {
          fx.add(masterEvent(g, "-failover-abort-no-good-slave", null));
          return new Transition(abortDetached(g, f, now, random, fx), fx);
        }
        return promoteOnceCaughtUp(g, fenceIfReachable(g, f, now, fx), now, fx);
      }
      case WAIT_PROMOTION -> {
        if (now - f.phaseSince() > ft) {
          fx.add(masterEvent(g, "-failover-abort-slave-timeout", null));
          if (f.fenced()) {
            fx.add(new Effect.Unfence(f.oldMaster()));
          }
          return new Transition(abort(g, now, random), fx);
        }
        if (!f.forced() && promotionLost(g, f, now)
            && now - f.startedAt() >= settings.electionTimeoutMs()) {
          // Our voters refuse other candidates for an election timeout from their vote, no
          // longer: past it, another leader may be promoting another replica right now, and a
          // second REPLICAOF NO ONE would make two masters (soak seed 95766: the chosen replica
          // was stopped mid-promotion and came back 2 s later, as a second leader promoted).
          // A new election gives fresh promises.
          fx.add(masterEvent(g, "-failover-abort-slave-timeout",
              "#the promotion was lost after the election's hold"));
          if (f.fenced()) {
            fx.add(new Effect.Unfence(f.oldMaster()));
          }
          return new Transition(abort(g, now, random), fx);
        }
        Failover next = fenceIfReachable(g, f, now, fx);
        return new Transition(withFailover(g, resendPromotion(g, next, now, fx)), fx);
      }
      case RECONF_REPLICAS -> {
        return reconf(g, f, now, fx);
      }
      default -> throw new IllegalStateException(f.phase().toString());
    }
  }

  /**
   * The {@code oldMasterFenced} rule, from REPLICAOF NO ONE until the promotion is confirmed:
   * the master being replaced is paused for writes as soon as our link to it is up (its clients
   * and the replica not promoted reach it again when a partition heals, and it would confirm
   * writes, {@code WAIT 1} included, that the new master never gets). A link that a partition
   * holds open carries the pause at once, to be delivered with the heal rather than a ping round
   * trip after it (PartitionTest lost writes in that round trip); one that is down (a crashed
   * master) carries it when it reconnects. The pause lasts a failover-timeout, as long as this
   * phase at most; an abort lifts it, a confirmed promotion demotes the node (lifting it in the
   * same transaction), and it expires by itself if this daemon is gone. A coordinated hand-over
   * pauses the master itself. After the confirmation a master that comes back is demoted on its
   * first INFO instead ({@link #demoteIfStale}), which its return triggers.
   */
  private static Failover fenceIfReachable(GroupState g, Failover f, long now, List<Effect> fx) {
    if (f.fenced() || f.coordinated() || !f.oldMaster().equals(g.masterAddress())) {
      return f;
    }
    if (!g.master().link().connected()) {
      return f;
    }
    fx.add(new Effect.Fence(f.oldMaster(), g.spec().failoverTimeout().toMillis()));
    fx.add(masterEvent(g, "+fence-old-master", null));
    return f.withFencedAt(now);
  }

  /**
   * The other reachable replicas are re-pointed at the chosen one before it is promoted, not
   * once the promotion is confirmed: while they still follow the master being replaced, a heal
   * of its partition lets them confirm its new writes ({@code WAIT 1} included) that the
   * promotion then discards (PartitionTest's flapping links lost them so, the fence on the old
   * master notwithstanding: a write held by the partition can be read before the pause). A
   * replica of a replica no longer acknowledges anything to the old master, and what it has is
   * what it had (or what it gets from the chosen one). Before, they were sent together with
   * REPLICAOF NO ONE, and a replica that read the healed master's stream in between still
   * confirmed writes the promoted one never got (PartitionTest, 1 run in 20).
   * Write-pausing them instead would hold their acknowledgements back too, but leaves them
   * paused and falling behind for up to a failover-timeout when this daemon dies mid-failover;
   * a re-pointed replica has nothing to undo. They are sent together, not parallel-syncs at a
   * time: each continues from the chosen replica's history with a partial resync, the load
   * parallel-syncs exists to bound is a full one. A replica we cannot reach now is re-pointed
   * after the promotion as before.
   */
  private static Failover detachOtherReplicas(GroupState g, Failover f, long now, List<Effect> fx) {
    Failover next = f.withoutReconf(f.promoted());
    for (NodeState n : g.replicas().values()) {
      Address a = n.address();
      if (a.equals(f.promoted()) || a.equals(f.oldMaster()) || !n.link().connected() || n.sdown()) {
        continue;
      }
      fx.add(new Effect.ReplicaOf(a, f.promoted()));
      fx.add(replicaEvent(g, a, "+slave-reconf-sent"));
      next = next.withReconf(a, Reconf.State.SENT, now);
    }
    return next;
  }

  /**
   * The {@code waitAcknowledgedWritesSurvive} rule: REPLICAOF NO ONE goes to the chosen replica
   * only once every replica detached from the old master has reported (by an INFO taken after its
   * REPLICAOF, which the shell reads in the same transaction) that it follows the chosen one, with
   * an offset the chosen one has reached. Both followed the old master, so the offsets are of one
   * history: whatever a detached replica confirmed to it, the chosen one then has. The chosen one
   * still follows the old master meanwhile and catches up from it (within a few milliseconds: the
   * bytes are already flowing). A replica that cannot be reached is not waited for; neither is a
   * chosen one that does not catch up within {@link #CATCH_UP_LIMIT_MS} (its own link to the old
   * master is broken): then the best replica by the usual order is promoted, and if that is
   * another one, the others are detached again towards it.
   */
  private Transition promoteOnceCaughtUp(GroupState g, Failover f, long now, List<Effect> fx) {
    boolean caughtUp = caughtUp(g, f);
    if (!caughtUp && now - f.phaseSince() < CATCH_UP_LIMIT_MS) {
      return new Transition(withFailover(g, f), fx);
    }
    Optional<NodeState> best = ReplicaSelection.choose(g, now, timing);
    if (best.isEmpty()) {
      // None is fit right now (the chosen one's INFO aged, say): nothing is promoted; the tick
      // aborts if that lasts.
      return new Transition(withFailover(g, f), fx);
    }
    Address pick = best.get().address();
    if (!pick.equals(f.promoted())) {
      fx.add(replicaEvent(g, pick, "+selected-slave"));
      Failover next = detachOtherReplicas(g, f.withPromoted(pick).inPhase(Phase.PROMOTE, now), now, fx);
      return new Transition(withFailover(g, next), fx);
    }
    if (!caughtUp) {
      fx.add(replicaEvent(g, pick, "-promotion-behind",
          "#the replicas detached from the old master did not all report an offset it reached"));
    }
    fx.add(new Effect.Promote(pick));
    fx.add(replicaEvent(g, pick, "+failover-state-wait-promotion"));
    return new Transition(withFailover(g, f.inPhase(Phase.WAIT_PROMOTION, now)), fx);
  }

  /**
   * REPLICAOF NO ONE again, when the chosen replica still reports itself a replica in an INFO taken
   * a second or more after it was sent: the command or its reply was lost with a connection, and
   * waiting out the failover-timeout (Sentinel's way) kept the group without a master that long
   * (the simulation's seed 47634). It is idempotent, and the replica is still the best choice.
   * Only within the election's hold: past it, the failover is aborted instead (see tick).
   */
  private Failover resendPromotion(GroupState g, Failover f, long now, List<Effect> fx) {
    if (!promotionLost(g, f, now)) {
      return f;
    }
    NodeState c = g.replicas().get(f.promoted());
    Optional<NodeState> best = ReplicaSelection.choose(g, now, timing);
    if (best.isEmpty() || !best.get().address().equals(c.address())) {
      return f;
    }
    fx.add(new Effect.Promote(c.address()));
    fx.add(replicaEvent(g, c.address(), "+failover-state-send-slaveof-noone", "#again"));
    return f.withPromoteSentAt(now);
  }

  /**
   * The chosen replica still reports itself a replica in an INFO taken a second or more after
   * REPLICAOF NO ONE was sent: the command, or the node's state with it (a restart), was lost.
   */
  private static boolean promotionLost(GroupState g, Failover f, long now) {
    if (f.coordinated() || f.promoted() == null) {
      return false;
    }
    NodeState c = g.replicas().get(f.promoted());
    long sentAt = f.promoteSentAt() >= 0 ? f.promoteSentAt() : f.phaseSince();
    return c != null && c.role() == NodeRole.REPLICA && c.infoAt() >= sentAt + PROMOTE_RESEND_MS
        && now - sentAt >= PROMOTE_RESEND_MS;
  }

  /** Every reachable detached replica follows the chosen one, at an offset the chosen one has. */
  private static boolean caughtUp(GroupState g, Failover f) {
    NodeState chosen = g.replicas().get(f.promoted());
    if (chosen == null || chosen.info() == null) {
      return false;
    }
    for (Map.Entry<Address, Reconf> e : f.reconf().entrySet()) {
      NodeState r = g.replicas().get(e.getKey());
      if (r == null || r.sdown() || !r.link().connected()) {
        continue;
      }
      boolean detached = r.info() != null && r.infoAt() >= e.getValue().since()
          && f.promoted().equals(r.info().masterAddress());
      if (!detached || r.info().replOffset() > chosen.info().replOffset()) {
        return false;
      }
    }
    return true;
  }

  /** An abort before REPLICAOF NO ONE: the detached replicas follow the master again, unpaused. */
  private GroupState abortDetached(GroupState g, Failover f, long now, long random, List<Effect> fx) {
    for (Address r : f.reconf().keySet()) {
      NodeState n = g.replicas().get(r);
      if (n != null && n.link().connected() && !n.sdown()) {
        fx.add(new Effect.ReplicaOf(r, g.masterAddress()));
        fx.add(replicaEvent(g, r, "+fix-slave-config"));
      }
    }
    if (f.fenced()) {
      fx.add(new Effect.Unfence(f.oldMaster()));
    }
    return abort(g, now, random);
  }

  private Optional<String> electionWinner(GroupState g, Failover f) {
    return Election.winner(votesIn(g, f.epoch()), Election.voters(g.peers().size(),
        g.spec().quorum()), quorumOf(g, f));
  }

  /** The votes a failover needs beyond a majority: none for a forced one (no ODOWN to agree on). */
  private static int quorumOf(GroupState g, Failover f) {
    return f.forced() ? 1 : g.spec().quorum();
  }

  /** Each voter's known vote in {@code epoch}, ours included. */
  private Map<String, String> votesIn(GroupState g, long epoch) {
    Map<String, String> votes = new HashMap<>();
    if (g.leaderEpoch() == epoch && g.agreement().leader() != null) {
      votes.put(myId, g.agreement().leader());
    }
    for (PeerState p : g.peers().values()) {
      if (p.votedLeader() != null && p.votedLeaderEpoch() == epoch) {
        votes.put(p.runId(), p.votedLeader());
      }
    }
    return votes;
  }

  /** True when the votes known for the failover's epoch leave no candidate a way to win it. */
  private boolean splitVote(GroupState g, Failover f) {
    Map<String, String> votes = votesIn(g, f.epoch());
    int voters = Election.voters(g.peers().size(), g.spec().quorum());
    int needed = Math.max(Election.majority(voters), quorumOf(g, f));
    int unknown = voters - votes.size();
    Map<String, Integer> tally = new HashMap<>();
    votes.values().forEach(c -> tally.merge(c, 1, Integer::sum));
    int best = tally.values().stream().max(Integer::compare).orElse(0);
    // An undecided voter could still make any candidate, even one with no votes yet, win.
    return Math.max(best, 0) + unknown < needed;
  }

  private GroupState abort(GroupState g, long now, long random) {
    long span = Math.max(1, settings.retryMaxMs() - settings.retryMinMs());
    long retryAt = now + settings.retryMinMs() + Math.floorMod(random, span);
    return g.withAgreement(g.agreement().withFailover(null).withRetryNotBefore(retryAt));
  }

  private Transition reconf(GroupState g, Failover f, long now, List<Effect> fx) {
    long ft = g.spec().failoverTimeout().toMillis();
    Address master = g.masterAddress();
    int inFlight = 0;
    for (Reconf r : f.reconf().values()) {
      if (r.state() != Reconf.State.DONE) {
        inFlight++;
      }
    }
    Failover next = f;
    boolean allDone = true;
    for (NodeState r : g.replicas().values()) {
      if (r.address().equals(f.oldMaster())) {
        continue;
      }
      Reconf st = next.reconf().get(r.address());
      if (st == null) {
        if (r.info() != null && master.equals(r.info().masterAddress()) && r.info().masterLinkUp()) {
          next = next.withReconf(r.address(), Reconf.State.DONE, now);
          continue;
        }
        if (!r.sdown()) {
          allDone = false;
        }
        if (inFlight < g.spec().parallelSyncs() && r.link().connected() && !r.sdown()) {
          fx.add(new Effect.ReplicaOf(r.address(), master));
          fx.add(replicaEvent(g, r.address(), "+slave-reconf-sent"));
          next = next.withReconf(r.address(), Reconf.State.SENT, now);
          inFlight++;
        }
      } else if (st.state() == Reconf.State.SENT
          && now - st.since() > settings.reconfSentTimeoutMs()) {
        fx.add(replicaEvent(g, r.address(), "-slave-reconf-sent-timeout"));
        next = next.withReconf(r.address(), Reconf.State.DONE, now);
      } else if (st.state() != Reconf.State.DONE && !r.sdown()) {
        allDone = false;
      }
    }
    if (allDone) {
      fx.add(masterEvent(g, "+failover-end", null));
      return new Transition(withFailover(g, null), fx);
    }
    if (now - f.phaseSince() > ft) {
      fx.add(masterEvent(g, "+failover-end-for-timeout", null));
      for (NodeState r : g.replicas().values()) {
        Reconf st = next.reconf().get(r.address());
        if (!r.address().equals(f.oldMaster()) && (st == null || st.state() != Reconf.State.DONE)) {
          fx.add(new Effect.ReplicaOf(r.address(), master));
          fx.add(replicaEvent(g, r.address(), "+slave-reconf-sent-be"));
        }
      }
      return new Transition(withFailover(g, null), fx);
    }
    return new Transition(withFailover(g, next), fx);
  }

  /**
   * A node's INFO, after the monitor has recorded it: confirms our promotion, tracks re-pointing,
   * and turns a node that claims master against the current configuration into a replica.
   */
  public Transition info(GroupState g, Address node, NodeInfo info, long now) {
    List<Effect> fx = new ArrayList<>();
    Failover f = g.agreement().failover();
    if (f != null && f.phase() == Phase.PROMOTE
        && (node.equals(f.promoted()) || f.reconf().containsKey(node))) {
      // A detached replica's report, or the chosen one's offset: promote without waiting for
      // the tick once it has caught up; else ask the chosen one again at once.
      if (caughtUp(g, f)) {
        return promoteOnceCaughtUp(g, f, now, fx);
      }
      if (!node.equals(f.promoted())) {
        fx.add(new Effect.RefreshInfo(f.promoted()));
      }
      return new Transition(g, fx);
    }
    if (f != null && f.phase() == Phase.WAIT_PROMOTION && node.equals(f.promoted())
        && info.role() == NodeRole.MASTER && f.epoch() > g.configEpoch()) {
      // The node this failover replaces, whatever happened since: an older epoch's leader may have
      // promoted the same replica, and its hello already made it our master. Switching "from" it
      // then would take the new master for the old one, and demote it onto itself for good while
      // the real old master was never demoted (simulation seed 776778).
      Address old = f.oldMaster();
      boolean alreadyMaster = g.masterAddress().equals(node);
      fx.add(replicaEvent(g, node, "+promoted-slave"));
      GroupState s = (alreadyMaster ? g.withConfigEpoch(f.epoch()) : g.switchedTo(node, f.epoch(), now))
          .withoutDownReports();
      s = s.withAgreement(s.agreement().withFailover(f.inPhase(Phase.RECONF_REPLICAS, now))
          .withReplaced(old, f.epoch()));
      fx.add(masterEvent(s, "+failover-state-reconf-slaves", null));
      if (!alreadyMaster) {
        fx.add(new Effect.Emit(new SentinelEvent("+switch-master", s.name() + " " + old.host() + " "
            + old.port() + " " + node.host() + " " + node.port())));
      }
      fx.add(new Effect.Persist());
      fx.add(new Effect.PublishHelloNow());
      boolean oldConnected = g.node(old).map(n -> n.link().connected()).orElse(false);
      if (f.fenced() && oldConnected) {
        // Demoted now rather than on its next INFO (queued behind the pause on a link a
        // partition holds), and unpaused in the same transaction once it is a replica.
        fx.add(new Effect.ReplicaOf(old, node, true));
        fx.add(replicaEvent(s, old, "+convert-to-slave"));
        fx.add(new Effect.RefreshInfo(old));
        s = s.withAgreement(s.agreement().withFix(old, now));
      }
      if (f.coordinated()) {
        // The old master is already the new one's replica; its paused clients must re-resolve.
        fx.add(new Effect.DisconnectClients(old));
        fx.add(new Effect.DisconnectClients(node));
      }
      return new Transition(s, fx);
    }
    if (f != null && f.phase() == Phase.RECONF_REPLICAS) {
      Reconf st = f.reconf().get(node);
      if (st != null && info.role() == NodeRole.REPLICA
          && g.masterAddress().equals(info.masterAddress())) {
        if (st.state() == Reconf.State.SENT) {
          fx.add(replicaEvent(g, node, "+slave-reconf-inprog"));
          f = f.withReconf(node, Reconf.State.INPROG, now);
          st = f.reconf().get(node);
        }
        if (st.state() == Reconf.State.INPROG && info.masterLinkUp()) {
          fx.add(replicaEvent(g, node, "+slave-reconf-done"));
          f = f.withReconf(node, Reconf.State.DONE, now);
        }
        return new Transition(withFailover(g, f), fx);
      }
    }
    Transition t = demoteIfStale(g, node, info, now, fx);
    return fixReplicaIfMisdirected(t.state(), node, info, now, new ArrayList<>(t.effects()));
  }

  /**
   * A replica replicating from somewhere other than the current master (a partition healed, a
   * stale REPLICAOF) is re-pointed once it has been seen so for two publish periods (time for a
   * newer configuration to reach us first), not after Sentinel's failover-timeout; one that
   * follows another replica of the group gets the failover-timeout (see below).
   */
  private Transition fixReplicaIfMisdirected(GroupState g, Address node, NodeInfo info, long now,
      List<Effect> fx) {
    NodeState n = g.replicas().get(node);
    NodeState master = g.master();
    Agreement a = g.agreement();
    boolean misdirected = n != null && info.role() == NodeRole.REPLICA
        && info.masterAddress() != null && !info.masterAddress().equals(g.masterAddress());
    Long since = a.lastFixAt().get(node);
    if (!misdirected) {
      return new Transition(since == null ? g : g.withAgreement(a.withoutFix(node)), fx);
    }
    if (master.sdown() || master.role() != NodeRole.MASTER || a.failover() != null) {
      return new Transition(g, fx);
    }
    if (since == null) {
      return new Transition(g.withAgreement(a.withFix(node, now)), fx);
    }
    // One that follows a fellow replica of the group confirms no master's writes (a replica of a
    // replica acknowledges to its upstream only): most likely a leader detached it before a
    // promotion it is still waiting to send (detachOtherReplicas), so it gets the wait Sentinel
    // gives every misdirected replica, a failover-timeout; one that follows a node claiming master
    // (a replaced master back from a partition) is re-pointed as soon as a newer configuration
    // had time to arrive.
    NodeState upstream = g.replicas().get(info.masterAddress());
    boolean chained = upstream != null && upstream.role() == NodeRole.REPLICA;
    long grace = chained ? g.spec().failoverTimeout().toMillis() : 2 * timing.publishPeriod().toMillis();
    // Nor while we hold our vote for another daemon's election: a leader we voted for re-points
    // the replicas at the one it promotes before promoting it, and re-pointing them back at the
    // master it replaces (which may answer again by then) only undoes its work; its failover
    // then waited out failover-timeout for replicas it saw taken back (the simulation's seed
    // 8909: 12.6 s to converge).
    if (now - since >= grace && !awaitingOnesVotedFor(g, now)) {
      fx.add(new Effect.ReplicaOf(node, g.masterAddress()));
      fx.add(replicaEvent(g, node, "+fix-slave-config"));
      return new Transition(g.withAgreement(a.withFix(node, now)), fx);
    }
    return new Transition(g, fx);
  }

  /**
   * The {@code oldMasterDemoted} rule: a node we know as a replica that claims to be master while
   * the current master is healthy is turned into a replica of it. The master we replaced
   * ourselves is demoted the moment it answers (until it has once been seen as a replica: after
   * that a claim to be master may be a newer promotion); any other after four publish periods,
   * time for a newer configuration (which would make us the stale one) to reach us by hello.
   */
  private Transition demoteIfStale(GroupState g, Address node, NodeInfo info, long now,
      List<Effect> fx) {
    if (node.equals(g.agreement().replaced()) && info.role() == NodeRole.REPLICA) {
      // The master we replaced has been seen as a replica: from now on, if it claims master
      // again, someone newer may have promoted it; it gets no immediate demotion any more.
      g = g.withAgreement(g.agreement().withReplaced(null, 0));
    }
    NodeState n = g.replicas().get(node);
    NodeState master = g.master();
    Agreement a = g.agreement();
    boolean known = node.equals(a.replaced()) && a.replacedEpoch() == g.configEpoch();
    // While our own failover re-points the replicas its promotion is confirmed, so a stale master
    // is demoted then as at any other time, outside the parallel-syncs queue: the queue paces
    // resyncs, but a node claiming master takes writes (WAIT included, through a replica not yet
    // re-pointed) that the new master never gets. An older master back from the dead while the
    // queue waited on a slow replica stayed writable for the failover-timeout (soak seed 821409).
    boolean reconfiguring = a.failover() != null && a.failover().phase() == Phase.RECONF_REPLICAS;
    if (n == null || info.role() != NodeRole.MASTER || master.sdown()
        || master.role() != NodeRole.MASTER || (a.failover() != null && !reconfiguring)) {
      return new Transition(g, fx);
    }
    boolean settled = n.roleChangedAt() >= 0
        && now - n.roleChangedAt() >= 4 * timing.publishPeriod().toMillis();
    Long lastFix = a.lastFixAt().get(node);
    boolean rateLimited = lastFix != null && now - lastFix < timing.pingPeriod().toMillis();
    if ((known || settled) && !rateLimited) {
      // With CLIENT UNPAUSE: the master we replaced may be fenced by us, and any other stale
      // master may be by a leader that is gone; a paused replica would not replicate.
      fx.add(new Effect.ReplicaOf(node, g.masterAddress(), true));
      fx.add(replicaEvent(g, node, "+convert-to-slave"));
      fx.add(new Effect.RefreshInfo(node));
      GroupState s = g.withAgreement(a.withFix(node, now));
      Failover f = s.agreement().failover();
      if (reconfiguring && !node.equals(f.oldMaster()) && f.reconf().get(node) == null) {
        // Tracked by the queue as re-pointed from now on, so it is not sent a second REPLICAOF;
        // it holds a parallel-syncs slot until in sync, as the full resync it starts should (the
        // master we replaced is not the queue's: it never holds one).
        s = withFailover(s, f.withReconf(node, Reconf.State.SENT, now));
      }
      return new Transition(s, fx);
    }
    return new Transition(g, fx);
  }

  /** A peer's answer to our IS-MASTER-DOWN-BY-ADDR about {@code askedAbout} at {@code askedEpoch}. */
  public GroupState peerAnswer(GroupState g, String peerRunId, boolean down, String leader,
      long leaderEpoch, Address askedAbout, long askedConfigEpoch, long now) {
    PeerState p = g.peers().get(peerRunId);
    if (p == null) {
      return g;
    }
    String vote = leader == null || leader.equals("*") ? null : leader;
    PeerState updated = p.answered(new DownReport(now, askedAbout, askedConfigEpoch, down), vote,
        leaderEpoch);
    java.util.Map<String, PeerState> peers = new java.util.LinkedHashMap<>(g.peers());
    peers.put(peerRunId, updated);
    return new GroupState(g.spec(), g.configEpoch(), g.leaderEpoch(), g.master(), g.replicas(),
        peers, g.agreement());
  }

  /** Whether we voted for another daemon and still give it its chance (the hold). */
  private boolean promisedToAnother(Agreement a, long now) {
    return a.leader() != null && !a.leader().equals(myId) && a.retryNotBefore() >= 0
        && now < a.retryNotBefore();
  }

  /**
   * Whether a failover we voted for may still be running: promised, and its configuration (an
   * epoch at least our vote's) not yet adopted here. Once it is, its promotion is done, and a
   * SENTINEL FAILOVER or a misdirected replica right after a failover need not wait out the hold.
   */
  private boolean awaitingOnesVotedFor(GroupState g, long now) {
    return promisedToAnother(g.agreement(), now) && g.configEpoch() < g.leaderEpoch();
  }

  /** The outcome of a peer asking for our vote. */
  public record VoteOutcome(GroupState state, long currentEpoch, String leader, long leaderEpoch,
      boolean persist, List<Effect> effects) {}

  /**
   * A vote request (IS-MASTER-DOWN-BY-ADDR with a run id). One vote per epoch; the caller
   * persists before replying. Voting for someone else holds back our own attempt for an election
   * timeout plus jitter, giving that candidate its chance; within that hold we also refuse a
   * different candidate in a later epoch, and a leader past its election refuses every other
   * candidate until its failover ends. Sentinel grants any later epoch and relies on waiting
   * 2 x failover-timeout; Vigil retries within seconds, so without these refusals a second
   * candidate could collect the first one's voters and promote a second replica while the first
   * promotion is under way.
   */
  public VoteOutcome vote(GroupState g, long currentEpoch, long requestEpoch, String candidate,
      long now, long random) {
    long hold = settings.electionTimeoutMs() + Math.floorMod(random, Math.max(1, settings.retryMaxMs()));
    boolean other = !candidate.equals(myId) && requestEpoch > g.leaderEpoch();
    if (abstaining(now) || requestEpoch <= quarantine.floor()) {
      // We may have voted in this epoch before we lost our state: refuse, and block the epoch
      // for good, since a candidate could still count the vote we gave then. (Up to the floor
      // the peers' answers set, during the quarantine or after it, this holds after the
      // quarantine too: QuarantineProof.)
      long epoch = Math.max(currentEpoch, requestEpoch);
      boolean block = requestEpoch > g.leaderEpoch();
      GroupState s = block ? g.withVote(null, requestEpoch) : g;
      if (other) {
        // A peer is trying: our first attempt after the quarantine waits as if we had voted.
        s = s.withAgreement(s.agreement().withRetryNotBefore(
            Math.max(s.agreement().retryNotBefore(), now + hold)));
      }
      return new VoteOutcome(s, epoch, null, 0, block || epoch != currentEpoch, List.of());
    }
    Agreement a = g.agreement();
    boolean leading = g.promotionUnderWay();
    boolean promised = promisedToAnother(a, now) && !a.leader().equals(candidate);
    if (other && (leading || promised)) {
      long epoch = Math.max(currentEpoch, requestEpoch);
      return new VoteOutcome(g, epoch, a.leader(), g.leaderEpoch(), epoch != currentEpoch, List.of());
    }
    Votes v = Votes.request(currentEpoch, a.leader(), g.leaderEpoch(), requestEpoch, candidate);
    List<Effect> fx = new ArrayList<>();
    GroupState s = g;
    if (v.changed()) {
      s = s.withVote(v.leader(), v.leaderEpoch());
      if (v.leaderEpoch() == requestEpoch && candidate.equals(v.leader())
          && !candidate.equals(myId)) {
        fx.add(new Effect.Emit(new SentinelEvent("+vote-for-leader", v.leader() + " " + v.leaderEpoch())));
        Agreement given = s.agreement();
        if (given.failover() != null) {
          // A candidate still waiting for votes (a leader refuses, above) that votes for a later
          // one steps down: it could otherwise still win its own epoch with its voters' votes
          // while the one it voted for wins the next, and both promote. (Its own vote no longer
          // counts once the later one replaced it; its voters' promise to it keeps the later
          // candidate waiting up to their hold, a delay the simulation bounds.)
          fx.add(masterEvent(s, "-failover-abort-not-elected", "#voted for a later candidate"));
          given = given.withFailover(null);
        }
        s = s.withAgreement(given.withRetryNotBefore(now + hold));
      }
    }
    return new VoteOutcome(s, v.currentEpoch(), v.leader(), v.leaderEpoch(), v.changed(), fx);
  }

  /**
   * Whether the fresh-identity quarantine still holds: it exists because the identity this daemon
   * forgot may have voted in an election that is still open. It ends by time, or early on an
   * answer from every configured peer ({@link QuarantineProof}); never on what the peers it
   * happened to hear announce (a fresh identity knows only those, so an epoch-0 hello from one
   * peer that missed an election cannot prove there was none: the election model checker found
   * two leaders in one epoch that way, in 10 steps).
   */
  public boolean abstaining(long now) {
    return quarantine.abstaining(now);
  }

  private static GroupState withFailover(GroupState g, Failover f) {
    return g.withAgreement(g.agreement().withFailover(f));
  }

  private static Effect masterEvent(GroupState g, String type, String extra) {
    return new Effect.Emit(SentinelEvent.master(type, g.name(), g.masterAddress(), extra));
  }

  private static Effect replicaEvent(GroupState g, Address replica, String type) {
    return replicaEvent(g, replica, type, null);
  }

  private static Effect replicaEvent(GroupState g, Address replica, String type, String extra) {
    return new Effect.Emit(SentinelEvent.replica(type, replica, g.name(), g.masterAddress(), extra));
  }
}
