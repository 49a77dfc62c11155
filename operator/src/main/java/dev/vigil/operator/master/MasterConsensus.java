package dev.vigil.operator.master;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The master a group's daemons agree on: the address a strict majority of all its daemons report
 * (not of those that answered), so that a minority cut off with a stale view, or a single
 * daemon's word, never moves the write Service.
 */
public final class MasterConsensus {
  private MasterConsensus() {}

  /** One daemon's answer to GET-MASTER-ADDR-BY-NAME; {@code master} null when it gave none. */
  public record Report(HostPort daemon, HostPort master) {}

  public static Optional<HostPort> agreed(Collection<Report> reports, int daemons) {
    Map<HostPort, Integer> votes = new HashMap<>();
    for (Report r : reports) {
      if (r.master() != null) {
        votes.merge(r.master(), 1, Integer::sum);
      }
    }
    return votes.entrySet().stream().filter(e -> e.getValue() > daemons / 2)
        .map(Map.Entry::getKey).findFirst();
  }
}
