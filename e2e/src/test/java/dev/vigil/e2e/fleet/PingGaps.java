package dev.vigil.e2e.fleet;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The time between consecutive PINGs on each client connection of the fleet, as a node sees
 * them: the one measure of a watcher keeping its ping period that works alike for Vigil and for
 * Redis' Sentinel (neither says when it is late). A gap longer than twice the period means at
 * least one whole period passed without a PING: a missed period. A connection silent since its
 * last PING counts as a gap at the time of the summary. Only on the fleet's loop.
 */
public final class PingGaps {
  /**
   * @param connections connections that sent a PING since the reset
   * @param pings PINGs since the reset
   * @param missed gaps longer than twice the period
   * @param maxGapMs the longest gap
   * @param p99GapMs the 99th percentile gap (1 ms buckets up to 60 s)
   */
  public record Summary(int connections, long pings, long missed, long maxGapMs, long p99GapMs) {}

  private final Map<Object, Long> lastPing = new HashMap<>();
  private final long[] histogram = new long[60_001];
  private long pings;
  private long gaps;
  private long maxGapMs;

  /** A PING on connection {@code key} at {@code nanos}. */
  void ping(Object key, long nanos) {
    pings++;
    Long last = lastPing.put(key, nanos);
    if (last != null) {
      long gap = TimeUnit.NANOSECONDS.toMillis(nanos - last);
      histogram[(int) Math.min(gap, histogram.length - 1)]++;
      gaps++;
      maxGapMs = Math.max(maxGapMs, gap);
    }
  }

  /** The connection is gone: its silence from now on is not a missed PING. */
  void closed(Object key) {
    lastPing.remove(key);
  }

  void reset() {
    lastPing.clear();
    java.util.Arrays.fill(histogram, 0);
    pings = 0;
    gaps = 0;
    maxGapMs = 0;
  }

  Summary summary(long periodMs, long nowNanos) {
    long missed = 0;
    for (int g = 0; g < histogram.length; g++) {
      if (g > 2 * periodMs) {
        missed += histogram[g];
      }
    }
    long max = maxGapMs;
    for (long last : lastPing.values()) {
      long silent = TimeUnit.NANOSECONDS.toMillis(nowNanos - last);
      if (silent > 2 * periodMs) {
        missed++;
      }
      max = Math.max(max, silent);
    }
    long p99 = 0;
    long seen = 0;
    for (int g = 0; g < histogram.length; g++) {
      seen += histogram[g];
      if (seen * 100 >= gaps * 99) {
        p99 = g;
        break;
      }
    }
    return new Summary(lastPing.size(), pings, missed, max, p99);
  }
}
