package dev.vigil.sentinel.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code leaderElectionSafety}: over random schedules of concurrent candidates, lost and
 * reordered requests, and restarts (state persisted, as the daemon does before replying), at most
 * one daemon wins any epoch.
 */
class ElectionInvariantsTest {

  /** One daemon's persisted vote state. */
  private static final class Daemon {
    final String id;
    long currentEpoch;
    String leader;
    long leaderEpoch;

    Daemon(String id) {
      this.id = id;
    }

    Votes ask(long epoch, String candidate) {
      Votes v = Votes.request(currentEpoch, leader, leaderEpoch, epoch, candidate);
      currentEpoch = v.currentEpoch();
      leader = v.leader();
      leaderEpoch = v.leaderEpoch();
      return v;
    }
  }

  @Test
  void atMostOneWinnerPerEpoch() {
    int seeds = Integer.getInteger("vigil.election.seeds", 20_000);
    for (long seed = 0; seed < seeds; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      int n = r.nextInt(1, 8);
      int quorum = r.nextInt(1, n + 1);
      List<Daemon> ds = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ds.add(new Daemon("d" + i));
      }
      Map<Long, Set<String>> winners = new HashMap<>();
      for (int round = 0; round < 6; round++) {
        List<Daemon> candidates = new ArrayList<>();
        for (Daemon d : ds) {
          if (r.nextInt(3) == 0) {
            candidates.add(d);
          }
        }
        // Each candidate starts at its own epoch + 1 (epochs may collide across candidates).
        Map<Daemon, Long> epochOf = new HashMap<>();
        Map<Daemon, Map<String, String>> votes = new HashMap<>();
        for (Daemon c : candidates) {
          long epoch = c.currentEpoch + 1;
          epochOf.put(c, epoch);
          Votes own = c.ask(epoch, c.id);
          Map<String, String> got = new HashMap<>();
          if (own.leaderEpoch() == epoch) {
            got.put(c.id, own.leader());
          }
          votes.put(c, got);
        }
        // Requests delivered in a random interleaving, some lost.
        List<Daemon[]> requests = new ArrayList<>();
        for (Daemon c : candidates) {
          for (Daemon d : ds) {
            if (d != c && r.nextInt(4) != 0) {
              requests.add(new Daemon[] {c, d});
            }
          }
        }
        for (int i = requests.size() - 1; i > 0; i--) {
          int j = r.nextInt(i + 1);
          Daemon[] t = requests.get(i);
          requests.set(i, requests.get(j));
          requests.set(j, t);
        }
        for (Daemon[] req : requests) {
          Daemon c = req[0];
          Votes reply = req[1].ask(epochOf.get(c), c.id);
          if (reply.leaderEpoch() == epochOf.get(c) && r.nextInt(5) != 0) {
            votes.get(c).put(req[1].id, reply.leader());
          }
        }
        for (Daemon c : candidates) {
          Election.winner(votes.get(c), n, quorum).ifPresent(w ->
              winners.computeIfAbsent(epochOf.get(c), e -> new HashSet<>()).add(w));
        }
      }
      final long s = seed;
      winners.forEach((epoch, w) -> assertThat(w).as("seed %d epoch %d", s, epoch).hasSizeLessThanOrEqualTo(1));
    }
  }

  @Test
  void oneVotePerEpochEvenWhenAskedAgain() {
    Votes first = Votes.request(4, null, 0, 5, "a");
    assertThat(first.leader()).isEqualTo("a");
    assertThat(first.leaderEpoch()).isEqualTo(5);
    assertThat(first.changed()).isTrue();
    Votes again = Votes.request(first.currentEpoch(), first.leader(), first.leaderEpoch(), 5, "b");
    assertThat(again.leader()).isEqualTo("a");
    assertThat(again.changed()).isFalse();
    Votes stale = Votes.request(first.currentEpoch(), first.leader(), first.leaderEpoch(), 3, "c");
    assertThat(stale.leader()).isEqualTo("a");
    Votes later = Votes.request(first.currentEpoch(), first.leader(), first.leaderEpoch(), 6, "c");
    assertThat(later.leader()).isEqualTo("c");
    assertThat(later.currentEpoch()).isEqualTo(6);
  }

  @Test
  void aWinnerNeedsAMajorityOfKnownDaemonsAndTheQuorum() {
    assertThat(Election.winner(Map.of("a", "a", "b", "a"), 3, 2)).contains("a");
    assertThat(Election.winner(Map.of("a", "a", "b", "a"), 5, 2)).isEmpty();
    assertThat(Election.winner(Map.of("a", "a", "b", "a", "c", "a"), 5, 4)).isEmpty();
    assertThat(Election.winner(Map.of("a", "a", "b", "b"), 2, 1)).isEmpty();
    assertThat(Election.ownChoice(Map.of("b", "x", "c", "x", "d", "y"), "me")).isEqualTo("x");
    assertThat(Election.ownChoice(Map.of(), "me")).isEqualTo("me");
  }
}
