package dev.vigil.backup.agent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bound on one transfer: when it runs out, {@code onExpiry} (aborting the transfer, which
 * ends a read blocked on it) runs once on a timer thread, and {@link #expired} tells the reader
 * why its read failed. A zero bound never runs out.
 */
final class Deadline implements AutoCloseable {
  private final AtomicBoolean expired = new AtomicBoolean();
  private final ScheduledExecutorService timer;

  private Deadline(Duration bound, Runnable onExpiry) {
    if (bound == null || bound.isZero() || bound.isNegative()) {
      timer = null;
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "deadline");
      t.setDaemon(true);
      return t;
    });
    timer.schedule(() -> {
      expired.set(true);
      onExpiry.run();
    }, bound.toMillis(), TimeUnit.MILLISECONDS);
  }

  static Deadline start(Duration bound, Runnable onExpiry) {
    return new Deadline(bound, onExpiry);
  }

  boolean expired() {
    return expired.get();
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
