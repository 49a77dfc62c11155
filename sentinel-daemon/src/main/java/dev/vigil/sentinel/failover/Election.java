package dev.vigil.sentinel.failover;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counting an election (Sentinel's sentinelGetLeader): the candidate with the most votes in the
 * epoch wins if it has a majority of every daemon known for the group (reachable or not) and at
 * least quorum votes. Majority of the known set, not of the reachable ones, is what makes two
 * winners in one epoch impossible ({@code leaderElectionSafety}).
 */
public final class Election {
  private Election() {}

  /**
   * The majority rule, the one place it is written: more than half of every daemon known for the
   * group, this one included. Winning, ruling out a split vote, CKQUORUM and diagnostics use it.
   */
  public static int majority(int voters) {
    return voters / 2 + 1;
  }

  /**
   * How many daemons an election counts: every daemon known for the group, this one included,
   * and never fewer than the group's quorum (a configuration that says at least that many
   * daemons watch it). A daemon that knows fewer peers than that (right after SENTINEL
   * REMOVE+MONITOR, or started without state before the hellos come) was otherwise a majority
   * of a group it had not met: alone, it won a forced failover's epoch while the others, who
   * never heard its request, elected another leader in the same epoch (simulation seeds 241978
   * and 323355: two leaders, two promotions).
   */
  public static int voters(int knownPeers, int quorum) {
    return Math.max(knownPeers + 1, quorum);
  }

  /**
   * @param votes each voter's vote in this epoch (voter run id → candidate run id), ours included
   * @param voters the daemons the election counts ({@link #voters})
   * @param quorum the votes a winner needs beyond a majority
   */
  public static Optional<String> winner(Map<String, String> votes, int voters, int quorum) {
    Map<String, Integer> tally = new HashMap<>();
    votes.values().forEach(c -> tally.merge(c, 1, Integer::sum));
    String best = null;
    int bestVotes = 0;
    for (Map.Entry<String, Integer> e : tally.entrySet()) {
      boolean better = e.getValue() > bestVotes
          || (e.getValue() == bestVotes && best != null && e.getKey().compareTo(best) < 0);
      if (better) {
        best = e.getKey();
        bestVotes = e.getValue();
      }
    }
    return best != null && bestVotes >= majority(voters) && bestVotes >= quorum
        ? Optional.of(best) : Optional.empty();
  }

  /** Whom a candidate votes for itself: the most voted peer if any has votes, else itself. */
  public static String ownChoice(Map<String, String> peerVotes, String myId) {
    Map<String, Integer> tally = new HashMap<>();
    peerVotes.values().forEach(c -> tally.merge(c, 1, Integer::sum));
    // Most votes first; ties go to the smaller run id, the same rule as winner().
    Comparator<Map.Entry<String, Integer>> order = Map.Entry.<String, Integer>comparingByValue()
        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder());
    return tally.entrySet().stream().max(order).map(Map.Entry::getKey).orElse(myId);
  }
}
