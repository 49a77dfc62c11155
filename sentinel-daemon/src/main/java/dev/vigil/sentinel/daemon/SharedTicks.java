package dev.vigil.sentinel.daemon;

import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * with its loop's others. One per daemon, which owns its event loops.
 */
final class SharedTicks {
  private static final Logger log = LoggerFactory.getLogger(SharedTicks.class);

  private record Key(EventLoop loop, long periodMs) {}

  /** One loop's timer and the ticks it runs. */
  private static final class Timer {
    final List<Runnable> ticks = new CopyOnWriteArrayList<>();
    ScheduledFuture<?> future;

    void runAll() {
      ticks.forEach(Runnable::run);
    }
  }

  private final Map<Key, Timer> timers = new HashMap<>();

  /** Runs {@code tick} now and every {@code periodMs} on {@code loop}; cancel to stop. */
  GroupDriver.Cancel every(EventLoop loop, long periodMs, Runnable tick) {
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
    synchronized (this) {
      Timer timer = timers.computeIfAbsent(key, k -> new Timer());
      timer.ticks.add(once);
      if (timer.future == null) {
        timer.future = loop.scheduleAtFixedRate(timer::runAll, periodMs, periodMs, TimeUnit.MILLISECONDS);
      }
    }
    loop.execute(once);
    return () -> {
      synchronized (this) {
        Timer timer = timers.get(key);
        if (timer != null && timer.ticks.remove(once) && timer.ticks.isEmpty()) {
          timer.future.cancel(false);
          timers.remove(key);
        }
      }
    };
  }

  /** How many timers are scheduled on {@code loop} now (for tests). */
  synchronized long timersOn(EventLoop loop) {
    return timers.keySet().stream().filter(k -> k.loop() == loop).count();
  }
}
