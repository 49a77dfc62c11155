package dev.vigil.sentinel.failover;

/**
 * The vote a daemon gives for a group (Sentinel's sentinelVoteLeader): at most one per epoch,
 * and the caller persists the result before replying, so a restart cannot vote twice either.
 *
 * @param currentEpoch the daemon's global epoch after the request (raised to the requested one)
 * @param leader who this daemon voted for in {@code leaderEpoch}, or null
 * @param leaderEpoch the epoch of that vote
 * @param changed whether anything changed, i.e. whether state must be persisted before replying
 */
public record Votes(long currentEpoch, String leader, long leaderEpoch, boolean changed) {

  /**
   * A request for our vote in {@code requestEpoch} for {@code candidate}. Grants it only if we
   * have not voted in that epoch or a later one; otherwise repeats the vote we gave.
   */
  public static Votes request(long currentEpoch, String leader, long leaderEpoch,
      long requestEpoch, String candidate) {
    boolean changed = false;
    if (requestEpoch > currentEpoch) {
      currentEpoch = requestEpoch;
      changed = true;
    }
    if (leaderEpoch < requestEpoch && currentEpoch <= requestEpoch) {
      leader = candidate;
      leaderEpoch = currentEpoch;
      changed = true;
    }
    return new Votes(currentEpoch, leader, leaderEpoch, changed);
  }
}
