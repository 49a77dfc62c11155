package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs spin on the Promela model of the election protocol (src/test/promela/election.pml; its
 * header maps every step to the Java it models). The model as implemented (no macros) must
 * hold; each mutant with one guard removed must produce a counterexample, which shows the guard
 * is what makes the property hold rather than the model being too weak to break it.
 *
 * <p>The state space with the full bounds (3 epochs, a restart with and one without state) is far
 * larger than a build can afford, so the build runs a breadth-first search bounded by time and
 * memory: every execution shorter than the depth it reached is checked completely. The README gives the
 * figures and how to run the long search by hand.
 */
class ElectionModelCheckTest {
  private static final Path MODEL = Path.of("src/test/promela/election.pml");
  /**
   * The model's default is the code as implemented (and as DESIGN.md describes it): the
   * quarantine survives a restart and ends by time, or early on every configured peer's epoch.
   */
  private static final List<String> AS_IMPLEMENTED = List.of();
  private static final Pattern ERRORS = Pattern.compile("errors: (\\d+)");
  private static final Pattern STORED = Pattern.compile("(\\d+) states, stored");
  private static final Pattern DEPTH = Pattern.compile("depth reached (\\d+)");

  @TempDir static Path work;

  @BeforeAll
  static void tools() {
    // Skipping is for machines without the tools only; bin/ensure-spin installs spin for bin/test.
    assumeTrue(onPath("spin"), "spin is not on PATH (bin/ensure-spin installs it): model not checked");
    assumeTrue(onPath("gcc"), "gcc is not on PATH: spin's verifier cannot be compiled");
  }

  private static Result implemented;

  /** The bounded search of the model as implemented, run once for the tests that need it. */
  private static synchronized Result asImplemented() throws Exception {
    if (implemented == null) {
      // -Q1: one minute; MEMLIM keeps the breadth-first queue within 2 GB on a shared CI box.
      implemented = check("as-implemented", AS_IMPLEMENTED, List.of("-DBFS", "-DMEMLIM=2048"), "-Q1");
    }
    return implemented;
  }

  @Test
  void electionSafetyHoldsWithTheQuarantineAsImplemented() throws Exception {
    Result r = asImplemented();
    assertThat(r.errors).as("counterexample:%n%s", r.trail).isZero();
    assertThat(r.states).as("the search ran").isGreaterThan(100_000);
  }

  @Test
  void withoutTheQuarantineAFreshIdentityVotesTwiceInOneEpoch() throws Exception {
    Result r = mutant("no-quarantine", "-DNO_QUARANTINE");
    assertThat(r.errors).as("spin must find the double vote without the quarantine").isPositive();
    assertThat(r.output).contains("votedFor");
  }

  @Test
  void withoutThePersistedVoteARestartVotesTwiceInOneEpoch() throws Exception {
    Result r = mutant("no-persisted-vote", "-DNO_PERSIST_VOTE");
    assertThat(r.errors).as("spin must find the double vote when the vote is not persisted").isPositive();
    assertThat(r.output).contains("votedFor");
  }

  /**
   * A candidate that votes for a later one must end its own election: kept waiting, it can still
   * win its epoch with its voters' votes while the one it voted for wins the next with its vote.
   */
  @Test
  void withoutSteppingDownACandidateWinsAfterVotingForALaterOne() throws Exception {
    Result r = mutant("no-step-down", "-DNO_STEP_DOWN");
    assertThat(r.errors).as("spin must find a winner that voted in a later epoch").isPositive();
    assertThat(r.output).contains("gave[d]");
  }

  @Test
  void withoutTheTimingAssumptionTheQuarantineIsNotEnough() throws Exception {
    // The quarantine is a timing argument: if it could end while an epoch the forgotten identity
    // voted in is still unknown to a peer, that peer could collect the fresh identity's vote.
    Result r = mutant("async-quarantine-end", "-DASYNC_QEND");
    assertThat(r.errors).isPositive();
  }

  /**
   * The quarantine's early end (QuarantineProof): every configured peer's answer, and a floor up
   * to the highest. Each half of it is needed: ending on one answer lets the peer that did not
   * answer collect a second vote in the epoch it won; ending without the floor lets a peer that
   * missed the election win the same epoch again with the fresh identity's vote.
   */
  @Test
  void theProofNeedsEveryPeersAnswerAndTheFloor() throws Exception {
    Result partial = mutant("partial-proof", "-DPARTIAL_PROOF");
    assertThat(partial.errors).as("early end on one peer's answer").isPositive();
    Result noFloor = mutant("no-floor", "-DNO_FLOOR");
    assertThat(noFloor.errors).as("early end without blocking the answered epochs").isPositive();
  }

  /**
   * A new group: every daemon starts without state, quarantined, and two of them lose their state
   * again later (a second generation of identities), so the proofs answer one another.
   */
  @Test
  void electionSafetyHoldsFromAColdStart() throws Exception {
    Result r = check("cold", List.of("-DCOLD", "-DMAXLOSS=2"), List.of("-DBFS", "-DMEMLIM=2048"), "-Q1");
    assertThat(r.errors).as("counterexample:%n%s", r.trail).isZero();
    assertThat(r.states).as("the search ran").isGreaterThan(100_000);
  }

  /**
   * What the model found. An early end of the quarantine on a single peer's epoch-0 hello (a fresh
   * identity knows no peers) lets the fresh identity vote again in an epoch its predecessor voted
   * in, and win it again: that early end was taken out of FailoverCore.abstaining, and stays here
   * as the mutant that shows why (-DEARLY_END). So does the second finding
   * (-DQ_DROPPED_ON_RESTART): a restart within the quarantine found the state file written at
   * start-up and dropped the quarantine; the state file now records the quarantine's end, and
   * the model as implemented (which includes that restart) holds.
   */
  @Test
  void theQuarantineMustNotEndBeforeItsTime() throws Exception {
    Result early = mutant("early-end-mutant", "-DEARLY_END");
    assertThat(early.errors).as("early end on one epoch-0 hello").isPositive();
    Result dropped = mutant("restart-drops-quarantine", "-DQ_DROPPED_ON_RESTART");
    assertThat(dropped.errors).as("restart within the quarantine, its end not recorded").isPositive();
    Result restart = asImplemented();
    assertThat(restart.errors).as("restart within the quarantine, as implemented:%n%s", restart.trail)
        .isZero();
    // What the double vote leads to: a leader that lost its state right after winning wins the
    // same epoch again, so two replicas are promoted with one config epoch.
    Result twoLeaders = check("finding-two-leaders", List.of("-DEARLY_END", "-DLEADERS_ONLY"),
        List.of("-DBFS", "-DMEMLIM=2048"), "-Q1");
    assertThat(twoLeaders.errors).as("two leaders in one epoch").isPositive();
    assertThat(twoLeaders.output).contains("leaderOf");
  }

  private static Result mutant(String name, String macro) throws Exception {
    List<String> macros = new ArrayList<>(AS_IMPLEMENTED);
    macros.add(macro);
    // Breadth-first: the shortest counterexample, found in well under a second.
    return check(name, macros, List.of("-DBFS"), "-Q1");
  }

  private record Result(long errors, long states, long depth, String output, String trail) {}

  private static Result check(String name, List<String> macros, List<String> panFlags,
      String timeLimit) throws Exception {
    Path dir = Files.createDirectories(work.resolve(name));
    Files.copy(MODEL, dir.resolve("election.pml"), StandardCopyOption.REPLACE_EXISTING);
    List<String> spin = new ArrayList<>(List.of("spin", "-a"));
    spin.addAll(macros);
    spin.add("election.pml");
    run(dir, spin, 60);
    List<String> gcc = new ArrayList<>(List.of("gcc", "-O2", "-DSAFETY", "-DCOLLAPSE"));
    gcc.addAll(panFlags);
    gcc.addAll(List.of("-o", "pan", "pan.c"));
    run(dir, gcc, 120);
    long started = System.nanoTime();
    String out = run(dir, List.of("./pan", "-m100000", "-c1", timeLimit), 150);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    long errors = number(ERRORS, out);
    long states = number(STORED, out);
    long depth = number(DEPTH, out);
    String trail = "";
    if (errors > 0 && Files.exists(dir.resolve("election.pml.trail"))) {
      List<String> replay = new ArrayList<>(List.of("spin", "-t", "-p"));
      replay.addAll(macros);
      replay.add("election.pml");
      trail = run(dir, replay, 60);
    }
    System.out.printf("model %s %s: %d errors, %d states stored, depth %d, %d ms%s%n", name,
        macros, errors, states, depth, ms, out.contains("Search not completed")
            ? " (bounded: time/memory limit or first error)" : " (complete)");
    return new Result(errors, states, depth, out, trail);
  }

  private static long number(Pattern p, String text) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new AssertionError("no '" + p.pattern() + "' in spin's output:\n" + text);
    }
    return Long.parseLong(m.group(1));
  }

  private static String run(Path dir, List<String> command, long timeoutSeconds)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " took longer than " + timeoutSeconds + " s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0 && !command.get(0).equals("./pan")) {
      throw new AssertionError(command + " failed:\n" + text);
    }
    return text;
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
