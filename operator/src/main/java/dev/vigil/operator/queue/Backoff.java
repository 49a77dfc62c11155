package dev.vigil.operator.queue;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential back-off with jitter: the n-th consecutive failure waits between half and
 * all of min(cap, base * 2^(n-1)), so many clusters failing together (an API server restart) do
 * not all retry at the same instant.
 */
public record Backoff(Duration base, Duration cap, DoubleSupplier random) {
  public static Backoff standard() {
    return new Backoff(Duration.ofMillis(500), Duration.ofMinutes(2), Math::random);
  }

  /** The wait after {@code failures} consecutive failures (1 or more). */
  public Duration delay(int failures) {
    long capMs = cap.toMillis();
    long ms = base.toMillis();
    for (int i = 1; i < failures && ms < capMs; i++) {
      ms *= 2;
    }
    ms = Math.min(ms, capMs);
    return Duration.ofMillis(ms / 2 + (long) (random.getAsDouble() * (ms - ms / 2)));
  }
}
