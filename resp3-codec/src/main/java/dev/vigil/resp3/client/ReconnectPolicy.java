package dev.vigil.resp3.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter between reconnect attempts: attempt {@code n} waits a
 * random time in {@code [d/2, d]} where {@code d = min(max, initial * 2^n)}. The jitter keeps many
 * clients from reconnecting to a restarted server in lockstep.
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay) {
  /** 50 ms doubling to 2 s: quick enough for failure detection, gentle on a server that is down. */
  public static final ReconnectPolicy DEFAULT =
      new ReconnectPolicy(Duration.ofMillis(50), Duration.ofSeconds(2));

  public ReconnectPolicy {
    if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("need 0 < initialDelay <= maxDelay");
    }
  }

  /** The delay before attempt {@code attempt} (0 = first retry), in milliseconds. */
  public long delayMillis(int attempt) {
    long cap = maxDelay.toMillis();
    long d = initialDelay.toMillis() << Math.min(attempt, 30);
    d = d <= 0 || d > cap ? cap : d;
    return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
  }
}
