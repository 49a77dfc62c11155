package dev.vigil.e2e.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Checks a history against the final master's contents (Jepsen-style, after healing and
 * settling): which acknowledged writes are missing, with and without {@code WAIT}, and for how long
 * two nodes both acknowledged writes as master.
 *
 * <p>Two masters at once: each node's acks are grouped into stretches where consecutive acks are
 * less than {@link #STRETCH_GAP_NANOS} apart (a node taking writes); the dual-master window is the
 * longest overlap between stretches of two different nodes. Writers retry within 500 ms, so a
 * node taking writes never pauses longer than the gap while it is master.
 */
public final class HistoryChecker {
  static final long STRETCH_GAP_NANOS = 1_000_000_000L;

  /** What a run lost and how long two masters overlapped (milliseconds). */
  public record Report(int acked, int ackedWithWait, List<Ack> lost, List<Ack> lostWithWait,
      long dualMasterMs, long dualMasterWithWaitMs, Map<String, Long> ackedByNode) {

    public String summary() {
      return String.format("acked %d (with WAIT %d) by node %s; lost %d (with WAIT %d); "
              + "two masters acknowledging for %d ms (WAIT-confirmed: %d ms)",
          acked, ackedWithWait, ackedByNode, lost.size(), lostWithWait.size(), dualMasterMs,
          dualMasterWithWaitMs);
    }
  }

  private HistoryChecker() {}

  public static Report check(History history, Set<String> onFinalMaster) {
    List<Ack> acks = history.acks();
    List<Ack> lost = acks.stream().filter(a -> !onFinalMaster.contains(a.value())).toList();
    Map<String, Long> byNode = new TreeMap<>();
    acks.forEach(a -> byNode.merge(a.node(), 1L, Long::sum));
    return new Report(acks.size(), (int) acks.stream().filter(Ack::waited).count(), lost,
        lost.stream().filter(Ack::waited).toList(), dualMasterNanos(acks, a -> true) / 1_000_000,
        dualMasterNanos(acks, Ack::waited) / 1_000_000, byNode);
  }

  private record Stretch(String node, long from, long to) {}

  static long dualMasterNanos(List<Ack> acks, Predicate<Ack> which) {
    List<Ack> sorted = acks.stream().filter(which).sorted(Comparator.comparingLong(Ack::atNanos))
        .toList();
    Map<String, List<Stretch>> byNode = new TreeMap<>();
    for (Ack a : sorted) {
      List<Stretch> ss = byNode.computeIfAbsent(a.node(), n -> new ArrayList<>());
      Stretch last = ss.isEmpty() ? null : ss.get(ss.size() - 1);
      if (last != null && a.atNanos() - last.to() < STRETCH_GAP_NANOS) {
        ss.set(ss.size() - 1, new Stretch(a.node(), last.from(), a.atNanos()));
      } else {
        ss.add(new Stretch(a.node(), a.atNanos(), a.atNanos()));
      }
    }
    List<Stretch> all = byNode.values().stream().flatMap(List::stream).toList();
    long worst = 0;
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        Stretch x = all.get(i);
        Stretch y = all.get(j);
        if (!x.node().equals(y.node())) {
          worst = Math.max(worst, Math.min(x.to(), y.to()) - Math.max(x.from(), y.from()));
        }
      }
    }
    return worst;
  }
}
