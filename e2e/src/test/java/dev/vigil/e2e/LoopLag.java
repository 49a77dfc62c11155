package dev.vigil.e2e;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How late the proxies' event loop runs a task it has scheduled every 20 ms: every link of a
 * {@link ProxiedGroup} crosses that loop, so a lag near down-after on a loaded machine makes every
 * node and peer look down to every watcher at once, a fault of the harness rather than of the
 * watchers. The soak prints the worst lag of each run beside its verdict. Measured on the loop
 * itself (the task's lateness against its schedule), so that no other thread's scheduling delay is
 * counted as the loop's.
 */
final class LoopLag implements AutoCloseable {
  private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final AtomicLong worstNanos = new AtomicLong();
  private final ScheduledFuture<?> ticks;

  LoopLag(EventLoopGroup loop) {
    long start = System.nanoTime();
    long[] tick = {0}; // touched only on the loop's thread
    ticks = loop.next().scheduleAtFixedRate(() -> {
      tick[0]++;
      long due = start + tick[0] * PERIOD_NANOS;
      worstNanos.accumulateAndGet(System.nanoTime() - due, Math::max);
    }, PERIOD_NANOS, PERIOD_NANOS, TimeUnit.NANOSECONDS);
  }

  /** The worst lag since the last call, in ms, and starts a new window. */
  long takeWorstMs() {
    return worstNanos.getAndSet(0) / 1_000_000;
  }

  @Override
  public void close() {
    ticks.cancel(false);
  }
}
