package dev.vigil.sentinel.daemon;

import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One periodic timer per event loop and period, running every group's tick on that loop in turn,
 * instead of a timer per group: at 500 groups the per-group timers were 5,000 scheduled tasks a
 * second, and Netty's scheduled-task queue and the wake-ups they forced were most of an idle
 * daemon's CPU (bench-fleet's profile). A group's first tick runs at once, as before; later ones
 * with its loop's others.
 */
final class SharedTicks {
  private static final Logger log = LoggerFactory.getLogger(SharedTicks.class);
  private static final Map<Key, SharedTicks> TIMERS = new ConcurrentHashMap<>();

  private record Key(EventLoop loop, long periodMs) {}

  private final List<Runnable> ticks = new CopyOnWriteArrayList<>();
  private ScheduledFuture<?> timer;

  private SharedTicks() {}

  /** Runs {@code tick} now and every {@code periodMs} on {@code loop}; cancel to stop. */
  static GroupDriver.Cancel every(EventLoop loop, long periodMs, Runnable tick) {
    Key key = new Key(loop, periodMs);
    Runnable once = () -> { // a distinct identity, so cancel removes this registration
      try {
        tick.run();
      } catch (RuntimeException e) {
        // One group's failure must not stop the others' ticks (a periodic task that throws is
        // never run again) nor, on some loops, the loop.
        log.error("a group's tick failed", e);
      }
    };
    synchronized (TIMERS) {
      SharedTicks shared = TIMERS.computeIfAbsent(key, k -> new SharedTicks());
      shared.ticks.add(once);
      if (shared.timer == null) {
        shared.timer = loop.scheduleAtFixedRate(shared::runAll, periodMs, periodMs, TimeUnit.MILLISECONDS);
      }
    }
    loop.execute(once);
    return () -> {
      synchronized (TIMERS) {
        SharedTicks shared = TIMERS.get(key);
        if (shared != null && shared.ticks.remove(once) && shared.ticks.isEmpty()) {
          shared.timer.cancel(false);
          TIMERS.remove(key);
        }
      }
    };
  }

  /** How many timers are scheduled on {@code loop} now (for tests). */
  static long timersOn(EventLoop loop) {
    return TIMERS.keySet().stream().filter(k -> k.loop() == loop).count();
  }

  private void runAll() {
    ticks.forEach(Runnable::run);
  }
}
