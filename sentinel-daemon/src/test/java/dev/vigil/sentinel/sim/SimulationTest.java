package dev.vigil.sentinel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the failover simulation over many seeds (vigil.sim.seeds, default 10,000; more with a
 * flag: {@code -Dvigil.sim.seeds=100000}). A failure names its seed; replay it with
 * {@code -Dvigil.sim.seed=N -Dvigil.sim.seeds=1}, adding {@code -Dvigil.sim.debug=true} for the
 * event trace of every daemon. {@code -Dvigil.sim.quarantine=0} turns off the fresh-identity
 * quarantine, to see why it exists: with it off, 10,000 seeds find a daemon that lost its state
 * voting twice in one epoch, and two leaders in one epoch from it (the first five failing: 436,
 * 468, 719, 845, 1000, seed 468 with two leaders, on the code of stop 30, whose timers and INFO
 * rule moved every seed's draws; before the vote-amnesia nemesis let the forgotten vote's reply
 * arrive before the crash, none).
 * In half the runs the daemons list every daemon (vigil.failover.peers), so a quarantine ends as
 * soon as all have told it their epoch; {@code -Dvigil.sim.proof=nofloor} (the quarantine ends
 * without blocking the answered epochs, election.pml's NO_FLOOR) finds two leaders in one epoch
 * too (seed 2178, and a vote given twice from 719 on); {@code partial} (it ends on the first
 * other daemon's answer, PARTIAL_PROOF) went unnoticed in 10,000 seeds: its harm needs a third daemon, behind in
 * epochs, to answer first, and the model checker stays the proof against it.
 */
class SimulationTest {
  private static final int SEEDS = Integer.getInteger("vigil.sim.seeds", 10_000);
  private static final long FIRST = Long.getLong("vigil.sim.seed", 1L);

  /**
   * Seeds beyond the build's range that soaks found failing, each fixed since: they stay green.
   * 200175, 349323, 439098: daemons stalled on a configured master turned replica after
   * REMOVE+MONITOR (equal config epochs). 776778: a leader whose promoted replica a hello had
   * already made master took the new master for the old one and never demoted the real one.
   * 821409: an older master back while the leader's queue waited on a slow replica stayed master
   * until the failover-timeout. 809484, 596039: a daemon that lost its state right after voting,
   * cut off from the first candidate for its whole quarantine, voted for a second candidate in
   * the same epoch (the first candidate's late answer now blocks it). 95766: a leader sent its
   * lost promotion again past its voters' hold, while a second leader promoted another replica.
   */
  @Test
  void seedsSoaksFoundFailingStayFixed() {
    for (long seed : new long[] {200175, 349323, 439098, 776778, 821409, 809484, 596039, 95766}) {
      int daemons = 3 + (int) (seed % 3);
      int replicas = 1 + (int) ((seed / 3) % 3);
      Simulation.Result r = new Simulation(seed, daemons, replicas).run(15_000, 25_000);
      org.assertj.core.api.Assertions.assertThat(r.violations()).as("seed %d", seed).isEmpty();
    }
  }

  /**
   * Daemons whose ticks fall at the same instants (the demo's three in one process) and whose
   * master dies: the vote splits at most a few times. Their start staggers and back-offs are tens
   * of milliseconds; rounded up to the next 100 ms tick they were the same instant for all, and
   * a DemoProcessTest run split the vote 113 times in 7 s.
   */
  @Test
  void daemonsTickingInPhaseElectALeaderWithinAFewAttempts() {
    int worst = 0;
    long slowest = 0;
    for (long seed = 1; seed <= 60; seed++) {
      int daemons = 3 + (int) (seed % 3);
      Simulation.OneCrash r = Simulation.loopback(seed, daemons, 2)
          .runOneCrash(2_000 + (seed * 37) % 1_000, 14_000);
      assertThat(r.violations()).as("seed %d", seed).isEmpty();
      assertThat(r.promotions()).as("seed %d: %s", seed, r).isEqualTo(1);
      // Before the shell woke at these instants, seed 1 tried 165 times in 12 s and never won.
      assertThat(r.tries()).as("seed %d: %s", seed, r).isLessThanOrEqualTo(3);
      worst = Math.max(worst, r.tries());
      slowest = Math.max(slowest, r.promotedAfterMs());
    }
    System.out.printf("in phase: at most %d attempts, promoted at most %d ms after the crash%n",
        worst, slowest);
  }

  @Test
  void everyInvariantHoldsOverRandomFaultSchedules() {
    List<String> failures = new ArrayList<>();
    int promotions = 0;
    int runsWithFailover = 0;
    int stateLosses = 0;
    int coldStarts = 0;
    int coldWithFailover = 0;
    long slowestConvergence = 0;
    long slowestSeed = -1; // the one to replay (-Dvigil.sim.seed) when the figure moves
    int fences = 0;
    int masterBackAborts = 0;
    int tilts = 0;
    int clientDisconnects = 0;
    int switchovers = 0;
    int handOvers = 0;
    int listedRuns = 0;
    int timedQuarantines = 0;
    int listedQuarantines = 0;
    int provenQuarantines = 0;
    long provenMs = 0;
    long slowestProof = 0;
    int floorRefusals = 0;
    int rivalAmnesias = 0;
    int resets = 0;
    int remonitors = 0;
    int faultSwitchovers = 0;
    int preStops = 0;
    int preStopHandOvers = 0;
    int refused = 0;
    int forgotten = 0;
    int split = 0;
    int superseded = 0;
    int runsWithSuperseded = 0;
    int boundedOvertakes = 0;
    for (long seed = FIRST; seed < FIRST + SEEDS && failures.size() < 5; seed++) {
      int daemons = 3 + (int) (seed % 3);
      int replicas = 1 + (int) ((seed / 3) % 3);
      Simulation.Result r = new Simulation(seed, daemons, replicas).run(15_000, 25_000);
      promotions += r.promotions();
      runsWithFailover += r.promotions() > 0 ? 1 : 0;
      stateLosses += r.stateLosses();
      coldStarts += r.coldStart() ? 1 : 0;
      coldWithFailover += r.coldStart() && r.promotions() > 0 ? 1 : 0;
      if (r.convergedAfterHealMs() > slowestConvergence) {
        slowestConvergence = r.convergedAfterHealMs();
        slowestSeed = seed;
      }
      fences += r.fences();
      masterBackAborts += r.masterBackAborts();
      tilts += r.tilts();
      clientDisconnects += r.clientDisconnects();
      switchovers += r.switchovers();
      handOvers += r.handOvers();
      listedRuns += r.peersListed() ? 1 : 0;
      timedQuarantines += r.quarantines().timed();
      listedQuarantines += r.quarantines().listed();
      provenQuarantines += r.quarantines().proven();
      provenMs += r.quarantines().provenMs();
      slowestProof = Math.max(slowestProof, r.quarantines().slowestProofMs());
      floorRefusals += r.quarantines().floorRefusals();
      rivalAmnesias += r.quarantines().rivalAmnesias();
      resets += r.operations().resets();
      remonitors += r.operations().remonitors();
      refused += r.operations().refused();
      faultSwitchovers += r.operations().switchovers();
      preStops += r.operations().preStops();
      preStopHandOvers += r.operations().preStopHandOvers();
      superseded += r.superseded();
      runsWithSuperseded += r.superseded() > 0 ? 1 : 0;
      boundedOvertakes += r.boundedOvertakes();
      forgotten += r.outOfReach() ? 1 : 0;
      split += r.splitViews() ? 1 : 0;
      if (!r.violations().isEmpty()) {
        failures.add("seed " + seed + " (" + daemons + " daemons, " + replicas + " replicas): "
            + r.violations());
      }
    }
    System.out.printf("simulation: %d seeds, %d with a failover, %d promotions, %d daemon restarts"
        + " that lost their state, %d cold starts (%d with a failover); slowest convergence after"
        + " healing %d ms (seed %d); %d old masters fenced, %d failovers ended by the master's return;"
        + " %d TILTs entered; %d client disconnections; %d operator switchovers, %d completed"
        + " by FAILOVER TO%n",
        SEEDS, runsWithFailover, promotions, stateLosses, coldStarts, coldWithFailover,
        slowestConvergence, slowestSeed, fences, masterBackAborts, tilts, clientDisconnects, switchovers,
        handOvers);
    System.out.printf("quarantines: %d runs with the peer list; %d quarantines without it (timed),"
        + " %d with it, %d of those ended early by every peer's epoch (mean %d ms, slowest %d ms);"
        + " %d votes refused by a vote floor after the quarantine; %d votes forgotten while a"
        + " rival candidate ran%n",
        listedRuns, timedQuarantines, listedQuarantines, provenQuarantines,
        provenQuarantines == 0 ? 0 : provenMs / provenQuarantines, slowestProof, floorRefusals,
        rivalAmnesias);
    System.out.printf("operators during faults: %d SENTINEL RESETs, %d REMOVE+MONITORs (%d"
        + " refused: INPROG, the daemon was promoting), %d SENTINEL FAILOVERs, %d pods stopped"
        + " through preStop (%d handed over); %d promotions"
        + " superseded by a later epoch's while theirs was master, in %d runs (%d within the"
        + " bound oneFailoverBounded states)%n",
        resets, remonitors, refused, faultSwitchovers, preStops, preStopHandOvers, superseded,
        runsWithSuperseded, boundedOvertakes);
    System.out.printf("out of reach: %d runs ending with a node no daemon can know any more"
        + " (every daemon forgot the group's past, by state loss, RESET or REMOVE, while the node"
        + " was neither their master nor listed by it; not checked for liveness); %d runs ending"
        + " with the daemons' views split into parts that share no node (each forgot the past;"
        + " not checked)%n", forgotten, split);
    assertThat(failures).as("replay with -Dvigil.sim.seed=N -Dvigil.sim.seeds=1").isEmpty();
    if (SEEDS < 1_000) {
      // A replay of a few seeds checks their invariants; what the faults exercised is a matter
      // of many seeds (one seed cannot have "a failover in a quarter of the runs").
      return;
    }
    // The faults must actually exercise failovers, or the invariants were checked on nothing.
    assertThat(runsWithFailover).isGreaterThan(SEEDS / 4);
    assertThat(stateLosses).isGreaterThan(SEEDS / 100);
    assertThat(coldWithFailover).isGreaterThanOrEqualTo(SEEDS / 20);
    // The fence's checks (oldMasterFenced) ran on real fences, not on none.
    assertThat(fences).isPositive();
    // Stalls put daemons in TILT, and promotions and demotions disconnected clients.
    assertThat(tilts).isGreaterThan(SEEDS / 20);
    assertThat(clientDisconnects).isGreaterThanOrEqualTo(promotions);
    // Operators switched over after healing, and coordinated ones went through FAILOVER TO.
    assertThat(switchovers).isGreaterThan(SEEDS / 10);
    assertThat(handOvers).isGreaterThan(switchovers / 4);
    // Operators acted during the faults, and preStop hooks handed masters over.
    if (Simulation.OPERATORS) {
      assertThat(resets + remonitors).isGreaterThan(SEEDS / 10);
      assertThat(faultSwitchovers).isGreaterThan(SEEDS / 10);
      assertThat(preStopHandOvers).isPositive();
      // Some RESETs and REMOVEs came while their daemon was promoting, and were refused.
      assertThat(refused).isPositive();
    }
    // Both quarantines ran (unless switched off): by time (no peer list) and proven.
    if (Long.getLong("vigil.sim.quarantine", 1) > 0) {
      assertThat(timedQuarantines).isGreaterThan(SEEDS / 20);
      assertThat(provenQuarantines).isGreaterThan(SEEDS / 20);
    }
  }
}
