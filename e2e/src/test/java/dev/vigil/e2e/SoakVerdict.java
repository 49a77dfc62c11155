package dev.vigil.e2e;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one soak run counts, decided from what was observed (no I/O here).
 *
 * <ul>
 *   <li>failovers: 1 when some watcher published a {@code +switch-master} away from the faulted
 *       master, plus every spurious one;
 *   <li>spurious: distinct (from, to) {@code +switch-master}s within the run, published by any
 *       watcher, away from a master that was <em>not</em> the faulted one (the new master is
 *       healthy: nothing was done to it);
 *   <li>failed: no node other than the faulted one was writable master within the bound after the
 *       fault, or the group did not converge (one master that every watcher reports and every
 *       node replicates from) within the bound after the old master was restored;
 *   <li>lost: writes a replica confirmed ({@code WAIT 1}) that the final master lacks; writes
 *       acknowledged without WAIT that it lacks are reported beside, not counted (asynchronous
 *       replication loses those to a crash by design).
 * </ul>
 */
record SoakVerdict(int failovers, int spurious, boolean failed, int lostWithWait, int lostWithoutWait,
    List<String> spuriousSwitches) {

  static SoakVerdict of(String faulted, List<SwitchEvent> events, boolean writableInTime,
      boolean convergedInTime, int lostWithWait, int lostWithoutWait) {
    boolean failedOver = events.stream().anyMatch(e -> e.from().equals(faulted));
    Set<String> spurious = new LinkedHashSet<>();
    events.stream().filter(e -> !e.from().equals(faulted))
        .forEach(e -> spurious.add(e.from() + "->" + e.to()));
    return new SoakVerdict((failedOver ? 1 : 0) + spurious.size(), spurious.size(),
        !writableInTime || !convergedInTime, lostWithWait, lostWithoutWait, List.copyOf(spurious));
  }
}
