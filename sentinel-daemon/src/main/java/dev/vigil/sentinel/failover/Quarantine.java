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
  /**
   * How often a fresh identity asks a configured peer that has not answered for its epoch after
   * the quarantine's timed end: no longer holding anything up, only guarding (each answer still
   * blocks the epochs up to its own: QuarantineProof.partialFloor).
   */
  public static final long LATE_PERIOD_MS = 2_000;
  /**
   * How long after the timed end the asking goes on (a restart included: the state file records
   * its end). A forgotten vote matters while its candidate's election in that epoch can still
   * be counted, seconds; a peer that has not answered in ten minutes is taken as gone (scaled
   * in, replaced, not a Vigil daemon), and asking it for ever would cost a connection every
   * two seconds for the life of the process.
   */
  public static final long LATE_LIMIT_MS = 600_000;

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
