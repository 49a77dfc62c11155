package dev.vigil.sentinel.daemon;

import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.SentinelEvent;
import dev.vigil.sentinel.monitor.TiltState;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A daemon's TILT mode (the rule is {@link TiltState}'s): the one holder of it, daemon-wide since
 * any group's loop may report a stall, publishing {@code +tilt} and {@code -tilt} as it is
 * entered and left. The daemon and the simulation both run this.
 */
public final class Tilt {
  private final Supplier<Timing> timing;
  private final Consumer<SentinelEvent> events;
  /** Written under the lock; read without it on the paths that every tick of every group takes. */
  private volatile TiltState state = TiltState.NEVER;

  public Tilt(Supplier<Timing> timing, Consumer<SentinelEvent> events) {
    this.timing = timing;
    this.events = events;
  }

  /** A group loop reports the gap between two of its ticks; a stall enters TILT. */
  public void noteTickGap(long gapMs, long now) {
    if (gapMs <= timing.get().tiltTrigger().toMillis()) {
      return; // no stall: nothing changes, and both loops' ticks need not meet on the lock
    }
    noteStall(gapMs, now);
  }

  private synchronized void noteStall(long gapMs, long now) {
    TiltState next = state.afterTickGap(gapMs, now, timing.get().tiltTrigger());
    if (next.active() && !state.active()) {
      events.accept(new SentinelEvent("+tilt", "#tilt mode entered"));
    }
    state = next;
  }

  /** True while in TILT; leaves it (with -tilt) once tilt-period has passed since the last stall. */
  public boolean inTilt(long now) {
    return state.active() && at(now).active();
  }

  /** TILT as of {@code now}, having left it (with -tilt) if its period has passed. */
  public synchronized TiltState at(long now) {
    TiltState next = state.at(now, timing.get().tiltPeriod());
    if (state.active() && !next.active()) {
      events.accept(new SentinelEvent("-tilt", "#tilt mode exited"));
    }
    state = next;
    return next;
  }

  /** The state as last updated, without leaving TILT (for observers that must not change it). */
  public synchronized TiltState last() {
    return state;
  }
}
