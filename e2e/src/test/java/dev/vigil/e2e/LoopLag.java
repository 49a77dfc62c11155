package dev.vigil.e2e;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How late the proxies' event loop runs a task handed to it every 20 ms: every link of a
 * {@link ProxiedGroup} crosses that loop, so a lag near down-after on a loaded machine makes every
 * node and peer look down to every watcher at once, a fault of the harness rather than of the
 * watchers. The soak prints the worst lag of each run beside its verdict.
 */
final class LoopLag implements AutoCloseable {
  private final AtomicLong worstNanos = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;

  LoopLag(EventLoopGroup loop) {
    thread = new Thread(() -> {
      while (!stop.get()) {
        long sent = System.nanoTime();
        try {
          loop.submit(() -> {}).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          return;
        }
        worstNanos.accumulateAndGet(System.nanoTime() - sent, Math::max);
        try {
          TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "proxy-loop-lag");
    thread.setDaemon(true);
    thread.start();
  }

  /** The worst lag since the last call, in ms, and starts a new window. */
  long takeWorstMs() {
    return worstNanos.getAndSet(0) / 1_000_000;
  }

  @Override
  public void close() {
    stop.set(true);
    thread.interrupt();
  }
}
