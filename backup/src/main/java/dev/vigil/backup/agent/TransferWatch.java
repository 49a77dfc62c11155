package dev.vigil.backup.agent;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Bounds one transfer: a deadline on its whole time, and a floor on its progress (at least
 * {@link #STALL_BYTES} in every stall window). When either is broken, {@code abort} (which ends a
 * read blocked on the transfer) runs once on a timer thread, and {@link #why} tells the reader
 * why its read failed. The SDK's socket timeout catches only a store that sends nothing at all;
 * one that trickles a few bytes now and then would hold a restore init container for good.
 */
final class TransferWatch implements AutoCloseable {
  /** Less than this in a whole stall window is a stall, not a slow link. */
  static final long STALL_BYTES = 1 << 20;

  private final AtomicReference<String> why = new AtomicReference<>();
  private final ScheduledExecutorService timer;

  private TransferWatch(Duration deadline, Duration stall, LongSupplier bytes, Runnable abort) {
    boolean bounded = deadline.toMillis() > 0;
    boolean watched = stall.toMillis() > 0;
    if (!bounded && !watched) {
      timer = null;
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "transfer-watch");
      t.setDaemon(true);
      return t;
    });
    if (bounded) {
      timer.schedule(() -> fire("did not finish within " + Progress.duration(deadline)
          + " (--deadline-s)", abort), deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (watched) {
      long[] last = {bytes.getAsLong()};
      timer.scheduleAtFixedRate(() -> {
        long now = bytes.getAsLong();
        if (now - last[0] < STALL_BYTES) {
          fire("stalled: " + Progress.size(now - last[0]) + " in the last "
              + Progress.duration(stall) + " (--stall-s)", abort);
        }
        last[0] = now;
      }, stall.toMillis(), stall.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * @param deadline the whole transfer's bound, zero for none
   * @param stall the window in which at least {@link #STALL_BYTES} must arrive, zero for none
   * @param bytes how many bytes have arrived so far
   */
  static TransferWatch start(Duration deadline, Duration stall, LongSupplier bytes, Runnable abort) {
    return new TransferWatch(deadline, stall, bytes, abort);
  }

  private void fire(String reason, Runnable abort) {
    if (why.compareAndSet(null, reason)) {
      abort.run();
    }
  }

  /** Why the transfer was aborted, if it was. */
  Optional<String> why() {
    return Optional.ofNullable(why.get());
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
