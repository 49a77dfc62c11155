package dev.vigil.backup.agent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a {@link Progress} line every few seconds while a transfer runs. */
public final class ProgressReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

  private final AtomicLong bytes = new AtomicLong();
  private final String what;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private volatile long total;

  public ProgressReporter(String what, long total, Duration every) {
    this.what = what;
    this.total = total;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "progress");
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(100, every.toMillis());
    timer.scheduleAtFixedRate(() -> log.info(now().line()), ms, ms, TimeUnit.MILLISECONDS);
  }

  public void add(long n) {
    bytes.addAndGet(n);
  }

  public void total(long t) {
    this.total = t;
  }

  public Progress now() {
    return new Progress(what, bytes.get(), total, Duration.ofNanos(System.nanoTime() - startNanos));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
