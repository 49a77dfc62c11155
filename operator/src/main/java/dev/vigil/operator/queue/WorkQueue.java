package dev.vigil.operator.queue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys to work on, as Kubernetes controllers queue them: a key waits in the queue at most once
 * however often it is added; one key is never worked on by two workers at once (added while being
 * worked on, it runs again right after); a failure retries the key with {@link Backoff}, a success
 * forgets its failures; the work may ask to be run again after a while. Workers never wait on the
 * network for anything but the API server.
 */
public final class WorkQueue implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);

  /** The work on one key: returns when to run it again regardless of events, if at all. */
  @FunctionalInterface
  public interface Work extends Function<String, Optional<Duration>> {}

  private final Work work;
  private final Backoff backoff;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Set<String> queued = new HashSet<>();
  private final Set<String> running = new HashSet<>();
  private final Set<String> again = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private volatile boolean closed;

  public WorkQueue(int workerCount, Backoff backoff, Work work) {
    this.work = work;
    this.backoff = backoff;
    this.workers = Executors.newFixedThreadPool(workerCount, named("reconcile-"));
    this.timers = Executors.newSingleThreadScheduledExecutor(named("reconcile-timer-"));
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  public void add(String key) {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (running.contains(key)) {
        again.add(key);
        return;
      }
      if (!queued.add(key)) {
        return;
      }
    }
    workers.execute(() -> run(key));
  }

  public void addAfter(String key, Duration delay) {
    if (!closed) {
      timers.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Consecutive failures of a key so far (0 after a success). */
  public synchronized int failures(String key) {
    return failures.getOrDefault(key, 0);
  }

  private void run(String key) {
    synchronized (this) {
      queued.remove(key);
      running.add(key);
    }
    try {
      Optional<Duration> recheck = work.apply(key);
      synchronized (this) {
        failures.remove(key);
      }
      recheck.ifPresent(d -> addAfter(key, d));
    } catch (RuntimeException e) {
      int n;
      synchronized (this) {
        n = failures.merge(key, 1, Integer::sum);
      }
      Duration d = backoff.delay(n);
      log.warn("work on {} failed ({} in a row), retrying in {} ms: {}", key, n, d.toMillis(), e.toString());
      addAfter(key, d);
    } finally {
      boolean rerun;
      synchronized (this) {
        running.remove(key);
        rerun = again.remove(key);
      }
      if (rerun) {
        add(key);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    timers.shutdownNow();
    workers.shutdownNow();
  }
}
