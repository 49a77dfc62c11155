package dev.vigil.sentinel.failover;

/**
 * How long the fresh-identity quarantine still holds when a daemon starts (see
 * {@link dev.vigil.sentinel.config.FailoverTuning#freshIdentityQuarantineMs}). A new identity
 * starts a full one; a restart with the state file keeps the rest of the one the file records
 * (ending it at the restart let a daemon vote again, within seconds of losing its state, in an
 * epoch its forgotten identity voted in: the election model checker's second finding). The end
 * is recorded in wall-clock time, since the monotonic clock restarts with the process; a wall
 * clock set back can stretch the rest to one full quarantine, never more.
 */
public final class Quarantine {
  private Quarantine() {}

  /**
   * @param freshIdentity no earlier state was found: the run id was just generated
   * @param recordedUntil the quarantine end the state file records (wall-clock ms), or 0
   * @param wallNow wall-clock ms now
   * @param quarantineMs the configured quarantine
   * @return how many ms from now the daemon abstains; 0 when it does not
   */
  public static long remainingMs(boolean freshIdentity, long recordedUntil, long wallNow,
      long quarantineMs) {
    if (freshIdentity) {
      return quarantineMs;
    }
    if (recordedUntil <= 0) {
      return 0;
    }
    return Math.max(0, Math.min(quarantineMs, recordedUntil - wallNow));
  }
}
