package dev.vigil.backup.agent;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Caps a transfer's average rate (bytes per second; 0 for no cap), so that a backup from a busy
 * node does not take all of its network. {@link #delayNanos} is the pure part.
 */
public final class Throttle {
  private final long bytesPerSecond;
  private final long startNanos = System.nanoTime();
  private long bytes;

  public Throttle(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** How long to wait so that {@code bytes} after {@code elapsedNanos} is at most the rate. */
  static long delayNanos(long bytes, long elapsedNanos, long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      return 0;
    }
    long due = (long) (bytes * 1e9 / bytesPerSecond);
    return Math.max(0, due - elapsedNanos);
  }

  public void passed(long n) throws InterruptedIOException {
    bytes += n;
    long wait = delayNanos(bytes, System.nanoTime() - startNanos, bytesPerSecond);
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
    }
  }
}
