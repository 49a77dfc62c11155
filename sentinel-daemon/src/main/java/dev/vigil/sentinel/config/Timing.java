package dev.vigil.sentinel.config;

import java.time.Duration;

/**
 * The daemon's periods (Sentinel's {@code SENTINEL DEBUG} parameters), all changeable at run time
 * by {@code SENTINEL DEBUG} so tests can shrink them.
 *
 * @param pingPeriod PING to every node and peer (capped to down-after when that is smaller)
 * @param infoPeriod INFO replication to masters and replicas while all is well
 * @param fastInfoPeriod INFO while a master is down or a failover runs
 * @param publishPeriod hello messages to every node and peer
 * @param askPeriod IS-MASTER-DOWN-BY-ADDR to peers while the master is SDOWN
 * @param tickPeriod how often decisions are re-evaluated
 * @param tiltTrigger a tick gap beyond this means the process stalled (GC, CPU throttling)
 * @param tiltPeriod how long to stay in TILT after the last stall
 */
public record Timing(
    Duration pingPeriod,
    Duration infoPeriod,
    Duration fastInfoPeriod,
    Duration publishPeriod,
    Duration askPeriod,
    Duration tickPeriod,
    Duration tiltTrigger,
    Duration tiltPeriod) {

  public static final Timing DEFAULT = new Timing(Duration.ofSeconds(1), Duration.ofSeconds(10),
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(100),
      Duration.ofSeconds(2), Duration.ofSeconds(30));

  /**
   * The PING period for a group with this down-after: at most a fifth of it, so that SDOWN,
   * counted from the last valid reply, needs several consecutive unanswered PINGs and a single
   * late or lost reply never makes a healthy node look down.
   */
  public long pingPeriodFor(Duration downAfter) {
    return Math.max(1, Math.min(pingPeriod.toMillis(), downAfter.toMillis() / 5));
  }

  public Timing with(String debugName, Duration value) {
    return switch (debugName) {
      case "ping-period" -> new Timing(value, infoPeriod, fastInfoPeriod, publishPeriod, askPeriod,
          tickPeriod, tiltTrigger, tiltPeriod);
      case "info-period" -> new Timing(pingPeriod, value, fastInfoPeriod, publishPeriod, askPeriod,
          tickPeriod, tiltTrigger, tiltPeriod);
      case "fast-info-period" -> new Timing(pingPeriod, infoPeriod, value, publishPeriod, askPeriod,
          tickPeriod, tiltTrigger, tiltPeriod);
      case "publish-period" -> new Timing(pingPeriod, infoPeriod, fastInfoPeriod, value, askPeriod,
          tickPeriod, tiltTrigger, tiltPeriod);
      case "ask-period" -> new Timing(pingPeriod, infoPeriod, fastInfoPeriod, publishPeriod, value,
          tickPeriod, tiltTrigger, tiltPeriod);
      case "tilt-trigger" -> new Timing(pingPeriod, infoPeriod, fastInfoPeriod, publishPeriod,
          askPeriod, tickPeriod, value, tiltPeriod);
      case "tilt-period" -> new Timing(pingPeriod, infoPeriod, fastInfoPeriod, publishPeriod,
          askPeriod, tickPeriod, tiltTrigger, value);
      default -> throw new IllegalArgumentException("unknown timing parameter " + debugName);
    };
  }
}
