package dev.vigil.sentinel.daemon;

import dev.vigil.sentinel.config.Timing;
import dev.vigil.sentinel.monitor.SentinelEvent;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A daemon's TILT mode: a gap between two ticks beyond tilt-trigger means the process stalled
 * (GC, CPU throttling, a suspended VM), so what it observed before is stale; it then acts on
 * nothing for tilt-period after the last stall (it still watches and votes). Daemon-wide: any
 * group's loop may report a stall. The simulation runs this with {@link GroupDriver}.
 */
public final class Tilt {
  private final Supplier<Timing> timing;
  private final Consumer<SentinelEvent> events;
  private long tiltSince = -1;
  private long lastStallAt = -1;
  private long total;

  public Tilt(Supplier<Timing> timing, Consumer<SentinelEvent> events) {
    this.timing = timing;
    this.events = events;
  }

  /** A group loop reports the gap between two of its ticks. */
  public synchronized void noteTickGap(long gapMs, long now) {
    if (gapMs <= timing.get().tiltTrigger().toMillis()) {
      return;
    }
    lastStallAt = now;
    if (tiltSince < 0) {
      tiltSince = now;
      total++;
      events.accept(new SentinelEvent("+tilt", "#tilt mode entered"));
    }
  }

  /** True while in TILT; leaves it (with -tilt) once tilt-period has passed since the last stall. */
  public synchronized boolean inTilt(long now) {
    if (tiltSince < 0) {
      return false;
    }
    if (now - lastStallAt >= timing.get().tiltPeriod().toMillis()) {
      tiltSince = -1;
      events.accept(new SentinelEvent("-tilt", "#tilt mode exited"));
      return false;
    }
    return true;
  }

  /** For INFO: seconds in TILT (or -1 when not) and how often it was entered. */
  public synchronized TiltInfo info(long now) {
    return new TiltInfo(tiltSince < 0 ? -1 : (now - tiltSince) / 1000, total);
  }

  /** The sentinel_tilt fields of INFO. */
  public record TiltInfo(long sinceSeconds, long total) {}
}
