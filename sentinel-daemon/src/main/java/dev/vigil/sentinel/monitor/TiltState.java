package dev.vigil.sentinel.monitor;

import java.time.Duration;

/**
 * TILT, Sentinel's answer to a stalled process: a gap between two ticks beyond the trigger means
 * the process stood still (GC, CPU throttling, a suspended VM), so what it observed before is
 * stale and it acts on nothing until the period has passed since the last stall (it still
 * watches and votes). Immutable: each step returns the next value.
 *
 * @param active whether the daemon is in TILT (a flag, not a -1 time: the monotonic clock may be
 *     negative)
 * @param since when the current TILT began; meaningful while active
 * @param lastStallAt when the last stall was noticed; meaningful while active
 * @param total how many times TILT was entered
 */
public record TiltState(boolean active, long since, long lastStallAt, long total) {
  public static final TiltState NEVER = new TiltState(false, 0, 0, 0);

  /** After a gap of {@code gapMs} between two ticks observed at {@code now}. */
  public TiltState afterTickGap(long gapMs, long now, Duration trigger) {
    if (gapMs <= trigger.toMillis()) {
      return this;
    }
    return active ? new TiltState(true, since, now, total) : new TiltState(true, now, now, total + 1);
  }

  /** As of {@code now}: left once {@code period} has passed since the last stall. */
  public TiltState at(long now, Duration period) {
    return active && now - lastStallAt >= period.toMillis()
        ? new TiltState(false, since, lastStallAt, total) : this;
  }

  /** Whole seconds spent in the current TILT (INFO's sentinel_tilt_since_seconds), or -1. */
  public long sinceSeconds(long now) {
    return active ? Duration.ofMillis(now - since).toSeconds() : -1;
  }
}
