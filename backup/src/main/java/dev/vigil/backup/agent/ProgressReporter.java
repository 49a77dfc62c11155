package dev.vigil.backup.agent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a {@link Progress} line every few seconds while a transfer runs; on a terminal it draws a
 * bar on stderr instead, redrawn twice a second.
 */
public final class ProgressReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

  private final AtomicLong bytes = new AtomicLong();
  private final String what;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private volatile long total;

  private final boolean terminal;

  public ProgressReporter(String what, long total, Duration every) {
    this(what, total, every, onTerminal());
  }

  ProgressReporter(String what, long total, Duration every, boolean terminal) {
    this.what = what;
    this.total = total;
    this.terminal = terminal;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "progress");
      t.setDaemon(true);
      return t;
    });
    long ms = terminal ? 500 : Math.max(100, every.toMillis());
    timer.scheduleAtFixedRate(terminal ? () -> System.err.print("\r" + now().bar(30) + "\u001b[K")
        : () -> log.info(now().line()), ms, ms, TimeUnit.MILLISECONDS);
  }

  /** A person watching: the JVM has a console (stdin and stdout are a terminal) and TERM is set. */
  private static boolean onTerminal() {
    String term = System.getenv("TERM");
    return System.console() != null && term != null && !term.isEmpty() && !term.equals("dumb");
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
    if (terminal) {
      System.err.print("\r\u001b[K");
      System.err.flush();
    }
  }
}
