package dev.vigil.sentinel.failover;

/** What SENTINEL FAILOVER did with a group. */
public enum ForceOutcome {
  /** Started: it asks the other daemons for their votes in a new epoch. */
  STARTED,
  /**
   * Refused: a failover of the group is already in progress, this daemon's or one it voted for
   * (while its vote holds, the election timeout plus up to retry-max, and that failover's
   * configuration has not reached this daemon).
   */
  IN_PROGRESS,
  /**
   * Refused: this daemon started with a fresh identity and takes part in no election yet (the
   * identity it forgot may have voted in the epoch it would ask for).
   */
  QUARANTINED,
  /** Refused: no group has that name. */
  NO_SUCH_GROUP
}
