package dev.vigil.e2e.fleet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How many of each command the fleet's nodes took since the last reset: what a watcher asks of
 * its nodes, side by side with Sentinel's (each command is a write, a wake-up and a read on both
 * ends). Only on the fleet's loop.
 */
final class CommandCounts {
  private final Map<String, long[]> counts = new HashMap<>();
  private long since = System.nanoTime();

  void count(String name) {
    counts.computeIfAbsent(name, k -> new long[1])[0]++;
  }

  void reset(long now) {
    counts.clear();
    since = now;
  }

  /** Commands per second since the reset, the most frequent first: "PING 1500, INFO 150". */
  String perSecond(long now) {
    double seconds = Math.max(1e-9, (now - since) / 1e9);
    List<Map.Entry<String, long[]>> byCount = new ArrayList<>(counts.entrySet());
    byCount.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, long[]> e : byCount) {
      parts.add(String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue()[0] / seconds));
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }
}
